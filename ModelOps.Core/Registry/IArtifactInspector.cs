using ModelOps.Core.Common;

namespace ModelOps.Core.Registry;

/// <summary>
/// Reads the signature of a model artifact on disk. Bad bytes are an expected failure:
/// <see cref="ErrorKind.Invalid"/> with field "artifact" and a detail saying why (empty,
/// not a model, corrupt or truncated). Only infrastructure faults throw.
/// </summary>
public interface IArtifactInspector
{
    Task<Result<ModelSignature>> InspectAsync(string artifactPath, CancellationToken cancellationToken);
}
