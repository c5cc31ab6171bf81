namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// The judge's labels. Fail: the always-valid confidence interval lies wholly beyond the bound.
/// Marginal: the point estimate is beyond it, the interval is not. InsufficientData: too few
/// samples to have seen a threshold-sized excess with 80 % power (or none at all).
/// </summary>
public enum VerdictStatus
{
    Pass,
    Marginal,
    Fail,
    InsufficientData,
}
