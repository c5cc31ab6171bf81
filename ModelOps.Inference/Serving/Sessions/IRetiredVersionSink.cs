namespace ModelOps.Inference.Serving.Sessions;

/// <summary>
/// Told when a version's session is disposed (retired and its last request done), so state kept
/// per version elsewhere (the prediction cache's namespace) is freed with it, not kept for the
/// life of the process.
/// </summary>
public interface IRetiredVersionSink
{
    void Retired(ServableVersion version);
}
