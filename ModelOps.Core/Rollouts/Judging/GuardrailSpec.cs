namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// One guardrail of a rollout plan. <see cref="Threshold"/> is relative to the baseline arm
/// running alongside (latency: allowed relative increase, 0.2 = +20 %; error/timeout/null rate:
/// allowed absolute increase; kpi: allowed relative drop; psi: the largest allowed PSI; offline:
/// allowed drop of the registered metric). <see cref="Limit"/> bounds the candidate alone
/// (latency in ms, rates as a rate, kpi as the lowest allowed mean). At least one is set.
/// <see cref="Alpha"/> is this guardrail's error rate over the whole rollout, however often it
/// is looked at; when both a threshold and a limit are set each test gets half of it.
/// <see cref="WindowSeconds"/> only chooses the recent window shown beside the test.
/// <see cref="SegmentBy"/> (kpi only): the KPI threshold is also judged within each segment of
/// that key (<c>hourOfDay</c>, or an encoder feature's category or bucket), each segment at
/// α/(2·<see cref="SegmentCount"/>) and the pooled test at α/2 (Bonferroni over a number of segments
/// fixed before the rollout), so a harm confined to one segment is not diluted by the others.
/// <see cref="SegmentEdges"/>, when set, replaces the key's own values by the intervals these edges cut
/// (below the first, between two, from the last on; plus a missing value for a feature), so k stays small.
/// </summary>
public sealed record GuardrailSpec(
    GuardrailMetric Metric,
    double? Threshold = null,
    double? Limit = null,
    int WindowSeconds = 300,
    int SustainSeconds = 10,
    GuardrailSeverity Severity = GuardrailSeverity.Hard,
    long MinSamples = GuardrailSpec.DefaultMinSamples,
    string? MetricName = null,
    int AttributionSeconds = GuardrailSpec.DefaultAttributionSeconds,
    string? Feature = null,
    double Alpha = GuardrailSpec.DefaultAlpha,
    string? SegmentBy = null,
    int SegmentCount = 0,
    IReadOnlyList<double>? SegmentEdges = null)
{
    /// <summary>
    /// Per-guardrail α (one-sided, over the whole rollout). Bonferroni: a plan with k hard
    /// guardrails rolls back a candidate that is within every bound with probability at most
    /// k·α (3.5 % for the seven sampled hard guardrails of a full plan); an identical candidate
    /// sits far inside every threshold but sample-ratio's, and is rolled back far less (docs/judge.md).
    /// </summary>
    public const double DefaultAlpha = 0.005;

    /// <summary>Observations per arm below which a guardrail is not judged (insufficient data), unless the plan says otherwise.</summary>
    public const long DefaultMinSamples = 100;

    /// <summary>How long after a request its outcome (e.g. a click) still counts for the KPI, unless the plan says otherwise.</summary>
    public const int DefaultAttributionSeconds = 60;

    /// <summary>
    /// α of sample-ratio mismatch. An identical candidate sits exactly on its null (a share equal
    /// to the weight), where every other guardrail has it a whole threshold inside, so SRM alone
    /// spends its α on good models: it gets a stricter one.
    /// </summary>
    public const double SampleRatioAlpha = 0.001;

    /// <summary>Sample-ratio mismatch, always added to a rollout's guardrails.</summary>
    public static GuardrailSpec SampleRatio(double alpha = SampleRatioAlpha) =>
        new(GuardrailMetric.Srm, Threshold: 0, SustainSeconds: 10, Severity: GuardrailSeverity.Hard, Alpha: alpha);
}
