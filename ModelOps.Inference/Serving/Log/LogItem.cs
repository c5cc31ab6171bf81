using ModelOps.Core.Serving.Log;

namespace ModelOps.Inference.Serving.Log;

/// <summary>One queued write. Invariant: exactly one of the two is set.</summary>
internal readonly record struct LogItem(InferenceRecord? Record, InferenceFeedback? Feedback);
