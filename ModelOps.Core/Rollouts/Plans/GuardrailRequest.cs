namespace ModelOps.Core.Rollouts.Plans;

/// <summary>One guardrail as the contract spells it (metric names such as <c>latency_p95</c>, severity <c>hard</c>|<c>soft</c>).</summary>
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
    double? Alpha);
