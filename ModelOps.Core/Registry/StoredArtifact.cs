namespace ModelOps.Core.Registry;

/// <param name="Digest"><c>sha256:&lt;hex&gt;</c>.</param>
public sealed record StoredArtifact(string Digest, long SizeBytes, string Path);
