using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Incidents.Verification;

/// <summary>
/// One guardrail of the plan with the baseline arm's pooled value during the rollout (series
/// buckets before the decision), in the metric's unit; null where the series carries no such
/// metric (offline, psi, null rate, sample ratio) or the baseline served nothing.
/// </summary>
public sealed record GuardrailBaseline(
    int Guardrail,
    GuardrailMetric Metric,
    GuardrailSeverity Severity,
    double? Threshold,
    double? Limit,
    double? Baseline,
    long Samples,
    DateTimeOffset From,
    DateTimeOffset To);
