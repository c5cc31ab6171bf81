namespace ModelOps.Core.Serving.Log;

/// <summary>
/// The write side of the inference log as the serving path sees it. <see cref="Enqueue"/> never
/// blocks the request for long and never throws; what happens under overload is the
/// implementation's stated policy, and every dropped record is counted in <see cref="Stats"/>.
/// </summary>
public interface IInferenceLog
{
    void Enqueue(InferenceRecord record);

    /// <summary>Queues an outcome for a request already known to exist.</summary>
    void EnqueueFeedback(InferenceFeedback feedback);

    InferenceLogStats Stats { get; }
}
