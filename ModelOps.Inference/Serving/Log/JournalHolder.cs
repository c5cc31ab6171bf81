namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// The journal as the container holds it: null when <see cref="InferenceLogOptions.Journal"/> is
/// off (a container cannot hold a null singleton), disposed with the container, after the writer stopped.
/// </summary>
internal sealed class JournalHolder(InferenceLogJournal? journal) : IDisposable
{
    public InferenceLogJournal? Journal { get; } = journal;

    public void Dispose() => Journal?.Dispose();
}
