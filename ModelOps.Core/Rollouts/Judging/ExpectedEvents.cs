namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// The mixture SPRT treats the estimate as normal. A rate or a 0/1 KPI with a handful of events
/// is far from normal, so the threshold tests wait until the candidate would hold this many
/// events at the rate it is compared with (the usual rule of thumb for a binomial's normal
/// approximation). It is set from the baseline, not the candidate, so it cannot be gamed by the
/// candidate's own luck.
/// </summary>
internal static class ExpectedEvents
{
    public const int Minimum = 10;
}
