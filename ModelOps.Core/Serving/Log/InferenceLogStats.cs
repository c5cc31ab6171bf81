namespace ModelOps.Core.Serving.Log;

/// <summary>Cumulative counters of the inference log since start.</summary>
public sealed record InferenceLogStats(long Enqueued, long Persisted, long Dropped, int QueueDepth, long FeedbackPersisted);
