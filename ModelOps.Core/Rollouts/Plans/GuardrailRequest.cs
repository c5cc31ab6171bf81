namespace ModelOps.Core.Rollouts.Plans;

/// <summary>
/// One guardrail as the contract spells it (metric names such as <c>latency_p95</c>, severity <c>hard</c>|<c>soft</c>).
/// <see cref="SegmentBy"/> (an addition to the contract, kpi only): <c>hourOfDay</c> or the name of a categorical or
/// bucketed feature of the candidate's encoder; the KPI threshold is then also judged within each segment.
/// <see cref="SegmentEdges"/> (with <see cref="SegmentBy"/> on <c>hourOfDay</c> or a numeric feature): coarser segments
/// than the encoder's own buckets, e.g. <c>[6, 12, 18]</c> for four parts of the day, so each segment gathers enough outcomes.
/// </summary>
public sealed record GuardrailRequest(
    string? Metric,
    double? Threshold,
    double? Limit,
    int? WindowSeconds,
    int? SustainSeconds,
    string? Severity,
    long? MinSamples,
    string? MetricName,
    int? AttributionSeconds,
    string? Feature,
    double? Alpha,
    string? SegmentBy = null,
    IReadOnlyList<double>? SegmentEdges = null);
