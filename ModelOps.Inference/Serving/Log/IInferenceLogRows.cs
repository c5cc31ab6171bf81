using ModelOps.Core.Serving.Log;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// Inserts one batch of queued writes in one transaction: every item or none. All serialisation
/// happens here, on the single consumer, so the request path only pays for a queue write.
/// </summary>
internal interface IInferenceLogRows : IDisposable
{
    /// <summary>
    /// Returns how many log and feedback rows were written. With <paramref name="skipStored"/>
    /// (journal replay) an item already stored — same request, arm, version and time to the stored
    /// tick (feedback: same request, arm, time and outcome) — is skipped, not counted.
    /// </summary>
    Task<(int Records, int Feedback)> InsertAsync(IReadOnlyList<LogItem> items, CancellationToken cancellationToken, bool skipStored = false);
}
