using ModelOps.Core.Serving.Log;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// One queued write. Invariant: exactly one of the two is set. <paramref name="Segment"/> and
/// <paramref name="End"/> locate its journal frame (segment number, offset just past the frame);
/// both are 0 when the journal is off.
/// </summary>
internal readonly record struct LogItem(InferenceRecord? Record, InferenceFeedback? Feedback, long Segment = 0, long End = 0);
