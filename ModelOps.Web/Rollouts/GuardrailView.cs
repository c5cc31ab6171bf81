using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// One guardrail's latest verdict as the contract shows it (<c>GET /api/rollouts/{id}</c>, <c>guardrails</c>); a segmented
/// KPI guardrail adds <see cref="Segments"/> (its key, k, the deciding segment, the pooled test and every segment's).
/// </summary>
public sealed record GuardrailView(
    string Metric,
    string Severity,
    string Status,
    double? Baseline,
    double? Candidate,
    double? Threshold,
    double? Limit,
    double Alpha,
    double? Effect,
    double[]? Ci,
    double? PValue,
    DateTimeOffset? BreachedSince,
    string? Feature,
    SampleCounts Samples,
    SampleCounts? SamplesNeeded,
    double? EtaSeconds,
    string Reason,
    string? Region = null,
    SegmentedKpi? Segments = null)
{
    public static GuardrailView From(GuardrailSpec spec, VerdictRecord verdict, string? region = null) => new(
        spec.Metric.ToWire(),
        spec.Severity == GuardrailSeverity.Hard ? "hard" : "soft",
        verdict.Status switch
        {
            VerdictStatus.Pass => "pass",
            VerdictStatus.Marginal => "marginal",
            VerdictStatus.Fail => "fail",
            _ => "insufficientData",
        },
        verdict.Baseline,
        verdict.Candidate,
        verdict.Threshold,
        verdict.Limit,
        verdict.Alpha,
        verdict.Effect,
        verdict.CiLow is { } low && verdict.CiHigh is { } high ? [low, high] : null,
        verdict.PValue,
        verdict.BreachedSince,
        spec.Feature,
        verdict.Samples,
        verdict.SamplesNeeded,
        verdict.EtaSeconds,
        verdict.Reason,
        region,
        verdict.Segments);
}
