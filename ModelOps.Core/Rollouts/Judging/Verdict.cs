namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// The judge's answer for one guardrail at one look (api-contract.md, Rollouts). Effect and
/// <see cref="Ci"/> are in the unit of the bound that decided (threshold: relative or absolute
/// change vs the baseline; limit: the candidate's own value). <see cref="Ci"/> is an always-valid
/// interval: each side holds with probability 1 − α at every look at once. <see cref="PValue"/>
/// is the always-valid one-sided p-value (the running minimum). <see cref="Sustained"/> is true
/// once Fail has held for the guardrail's sustainSeconds: the moment a hard guardrail rolls back.
/// <see cref="Segments"/>: a segmented KPI guardrail's pooled and per-segment tests (null otherwise).
/// </summary>
public sealed record Verdict(
    GuardrailMetric Metric,
    VerdictStatus Status,
    double? Baseline,
    double? Candidate,
    double? Threshold,
    double? Limit,
    double Alpha,
    double? Effect,
    (double Low, double High)? Ci,
    double? PValue,
    DateTimeOffset? BreachedSince,
    SampleCounts Samples,
    SampleCounts? SamplesNeeded,
    double? EtaSeconds,
    bool Sustained,
    Func<string> Explanation,
    SegmentedKpi? Segments = null)
{
    /// <summary>One sentence a human can read: why. Rendered when read (formatting costs more than the test itself).</summary>
    public string Reason => Explanation();
}
