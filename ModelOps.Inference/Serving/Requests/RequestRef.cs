using ModelOps.Core.Serving.Routing;

namespace ModelOps.Inference.Serving.Requests;

/// <summary>What feedback needs to know about a served request: who answered it, where, and with what raw score, and
/// the segments its outcome counts in for a segmented KPI guardrail (null when none is judged).</summary>
public sealed record RequestRef(string RequestId, string Model, int Version, Arm Arm, double? RawScore, string? Region = null, IReadOnlyList<Core.Divergence.Segment>? Segments = null)
{
    /// <summary>Set once the first outcome arrived; later outcomes for the same id are not counted twice.</summary>
    public int OutcomeReceived;
}
