namespace ModelOps.Core.Audit.Checkpoints;

/// <summary>
/// How the checkpoint file itself checked out: <see cref="Count"/> lines whose signature
/// verifies, and whether every line is signed by this server and links to the one before it.
/// </summary>
public sealed record CheckpointReport(int Count, bool Valid, string Detail);
