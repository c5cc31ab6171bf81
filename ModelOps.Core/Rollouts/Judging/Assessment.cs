namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// One bound's test at one look, before sustain: <see cref="Excess"/> is the point estimate's
/// distance beyond the bound in the harmful direction (&gt; 0 means beyond), <see cref="PValue"/>
/// this look's always-valid p-value (the judge keeps the running minimum). <see cref="Reason"/> is
/// rendered only when read: formatting costs more than the test, and most looks are never shown.
/// </summary>
internal sealed record Assessment(
    VerdictStatus Status,
    double Excess,
    double? Baseline,
    double? Candidate,
    double? Effect,
    (double Low, double High)? Ci,
    double? PValue,
    SampleCounts Samples,
    SampleCounts? SamplesNeeded,
    double? EtaSeconds,
    Func<string> Reason)
{
    public static Assessment Insufficient(SampleCounts samples, Func<string> reason, SampleCounts? needed = null, double? eta = null) =>
        new(VerdictStatus.InsufficientData, 0, null, null, null, null, null, samples, needed, eta, reason);

    /// <summary>
    /// Fail when the harmful side of the interval is beyond the bound (excess &gt; half-width),
    /// marginal when only the point is, insufficient when fewer samples than a threshold-sized
    /// excess needs for 80 % power, pass otherwise.
    /// </summary>
    public static VerdictStatus StatusOf(double excess, double halfWidth, bool underpowered) =>
        excess > halfWidth ? VerdictStatus.Fail
        : excess > 0 ? VerdictStatus.Marginal
        : underpowered ? VerdictStatus.InsufficientData
        : VerdictStatus.Pass;

    /// <summary>Severity order for choosing which of two bounds speaks for the guardrail.</summary>
    public int Rank => Status switch
    {
        VerdictStatus.Fail => 3,
        VerdictStatus.Marginal => 2,
        VerdictStatus.InsufficientData => 1,
        _ => 0,
    };
}
