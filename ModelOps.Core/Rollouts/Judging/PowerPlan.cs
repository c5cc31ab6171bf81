namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// Samples still needed and the ETA when a test is underpowered. The effect to detect is τ beyond
/// the bound (τ is the mixture's scale, tied to the threshold; docs/judge.md), at 80 % power and
/// one-sided level α, split between the arms in their current ratio.
/// </summary>
internal static class PowerPlan
{
    /// <param name="candidateVariance">Per-sample variance of the candidate's statistic.</param>
    /// <param name="baselineVariance">Per-sample variance of the baseline's (times any contrast weight squared); 0 for one-arm tests.</param>
    /// <param name="minimumCandidate">Samples the test waits for anyway (minSamples, expected events), per arm.</param>
    public static (SampleCounts Needed, bool Underpowered, double? Eta) Plan(
        double candidateVariance, double baselineVariance, double tau2, double alpha,
        SampleCounts have, double elapsedSeconds, long minimumCandidate = 0, long minimumBaseline = 0)
    {
        var ratio = have.Baseline > 0 ? (double)have.Candidate / have.Baseline : 0;
        var candidate = Math.Max(MixtureSprt.FixedSampleSize(candidateVariance + (baselineVariance * ratio), tau2, alpha), minimumCandidate);
        var baseline = Math.Max(baselineVariance > 0 && ratio > 0 ? candidate / ratio : 0, minimumBaseline);
        var needed = new SampleCounts((long)Math.Ceiling(baseline), (long)Math.Ceiling(candidate));
        var underpowered = have.Candidate < needed.Candidate || have.Baseline < needed.Baseline;
        double? eta = null;
        if (underpowered && elapsedSeconds > 0 && have.Candidate > 0)
        {
            var candidateEta = (needed.Candidate - have.Candidate) / (have.Candidate / elapsedSeconds);
            var baselineEta = have.Baseline > 0 ? (needed.Baseline - have.Baseline) / (have.Baseline / elapsedSeconds) : 0;
            eta = Math.Max(0, Math.Max(candidateEta, baselineEta));
        }

        return (needed, underpowered, eta);
    }
}
