using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// The guardrail sets the benchmark judges. <see cref="Full"/> has every guardrail on (the
/// thresholds the regression rows test against); <see cref="Template"/> is the default plan
/// template. Sample-ratio mismatch is added to both, as the engine always does, with its own α.
/// </summary>
public static class DecisionPlans
{
    public const string Feature = "f0";
    public const string OfflineMetric = "auc";

    /// <summary>A 5 % canary serves 4 requests/s: 50 latency samples is 12 s of it, 100 would be 25 s.</summary>
    public const int LatencyMinSamples = 50;

    public static IReadOnlyList<GuardrailSpec> Full(double alpha) =>
    [
        new(GuardrailMetric.LatencyP95, Threshold: 0.2, WindowSeconds: 300, MinSamples: LatencyMinSamples, Alpha: alpha),
        new(GuardrailMetric.LatencyP99, Threshold: 0.2, WindowSeconds: 300, MinSamples: LatencyMinSamples, Alpha: alpha),
        new(GuardrailMetric.ErrorRate, Threshold: 0.005, WindowSeconds: 180, Alpha: alpha),
        new(GuardrailMetric.TimeoutRate, Threshold: 0.005, WindowSeconds: 180, Alpha: alpha),
        new(GuardrailMetric.Kpi, Threshold: 0.02, WindowSeconds: 900, AttributionSeconds: SimulatedWorld.AttributionSeconds, Alpha: alpha),
        new(GuardrailMetric.NullRate, Threshold: 0.01, WindowSeconds: 300, Feature: Feature, Alpha: alpha),
        new(GuardrailMetric.ScorePsi, Threshold: 0.1, WindowSeconds: 300, Severity: GuardrailSeverity.Soft, Alpha: alpha),
        new(GuardrailMetric.DriftPsi, Threshold: 0.2, WindowSeconds: 300, Severity: GuardrailSeverity.Soft, Feature: Feature, Alpha: alpha),
        new(GuardrailMetric.Offline, Threshold: 0.01, MetricName: OfflineMetric, Alpha: alpha),
        GuardrailSpec.SampleRatio(),
    ];

    /// <summary>The full plan with the KPI judged per segment of the world's segment feature (k = 8: α/2 pooled, α/16 per segment).</summary>
    public static IReadOnlyList<GuardrailSpec> Segmented(double alpha) =>
        [.. Full(alpha).Select(g => g.Metric == GuardrailMetric.Kpi ? g with { SegmentBy = SimulatedWorld.SegmentFeature, SegmentCount = SimulatedWorld.Segments } : g)];

    public static IReadOnlyList<GuardrailSpec> Template(double alpha) =>
    [
        new(GuardrailMetric.LatencyP95, Threshold: 0.3, WindowSeconds: 300, Alpha: alpha),
        new(GuardrailMetric.ErrorRate, Limit: 0.05, WindowSeconds: 180, Alpha: alpha),
        new(GuardrailMetric.Kpi, Threshold: 0.02, WindowSeconds: 900, AttributionSeconds: SimulatedWorld.AttributionSeconds, Alpha: alpha),
        GuardrailSpec.SampleRatio(),
    ];

    /// <summary>Hard guardrails of a plan that sample data (offline is static and cannot fire on an identical model).</summary>
    public static int SampledHard(IReadOnlyList<GuardrailSpec> plan) =>
        plan.Count(g => g.Severity == GuardrailSeverity.Hard && g.Metric != GuardrailMetric.Offline);

    /// <summary>Bonferroni: the sum of the sampled hard guardrails' α bounds the false-rollback probability of a candidate within every bound.</summary>
    public static double FamilyBound(IReadOnlyList<GuardrailSpec> plan) =>
        plan.Where(g => g.Severity == GuardrailSeverity.Hard && g.Metric != GuardrailMetric.Offline).Sum(g => g.Alpha);
}
