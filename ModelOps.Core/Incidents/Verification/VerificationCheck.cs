using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Incidents.Verification;

/// <summary>
/// One bound checked on the rollback target over the verification window. <see cref="Bound"/> is
/// <c>limit</c> (absolute: every judged bucket must hold; <see cref="Observed"/> is the worst one)
/// or <c>threshold</c> (relative to the baseline arm during the rollout; <see cref="Observed"/> is
/// the window's pooled value). <see cref="Expected"/> is the bound in the metric's unit and
/// <see cref="Comparison"/> says which side of it passes (<c>atMost</c>, <c>atLeast</c>).
/// </summary>
public sealed record VerificationCheck(
    int Guardrail,
    GuardrailMetric Metric,
    string Bound,
    bool Tripped,
    string Comparison,
    double? Expected,
    double? Observed,
    double? Baseline,
    long Samples,
    int BucketsJudged,
    int Buckets,
    CheckOutcome Outcome,
    string Reason)
{
    public bool Pass => Outcome == CheckOutcome.Pass;
}
