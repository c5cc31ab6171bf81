using System.Runtime.InteropServices;

namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// latency_p95 / latency_p99, distribution-free from the raw latency samples. Per step the
/// baseline's quantile q̃ is estimated once from a warm-up (10 expected tail samples) and frozen;
/// from then on "candidate's quantile ≤ (1 + θ)·baseline's" is tested as the difference of two
/// proportions, P(candidate &gt; (1 + θ)·q̃) − P(baseline &gt; q̃) ≤ 0. That equivalence holds at the
/// quantile level s = F_b(q̃) ≈ p for any distribution, and when the candidate is the baseline
/// scaled by exactly 1 + θ both shares are equal whatever q̃ is, so the boundary is exact and the
/// baseline quantile's own uncertainty is carried by the baseline share's variance. The
/// candidate's ratios to q̃ are also counted on a ladder of rungs, from which the point estimate
/// of the relative increase and its interval are read by inverting the same test at each rung.
/// </summary>
internal static class LatencyGuardrail
{
    public static double Tail(GuardrailMetric metric) => metric == GuardrailMetric.LatencyP99 ? 0.01 : 0.05;

    public static GuardrailState Accumulate(GuardrailSpec spec, Evaluation evaluation, GuardrailState state)
    {
        var candidate = evaluation.Candidate.LatencySamplesMs;
        if (spec.Limit is { } limit)
        {
            long above = 0;
            foreach (var latency in candidate)
            {
                above += latency > limit ? 1 : 0;
            }

            state = state with { LimitTally = state.LimitTally.Add(candidate.Count, above, above) };
        }

        if (spec.Threshold is not { } theta || evaluation.Baseline is null)
        {
            return state;
        }

        var tail = Tail(spec.Metric);
        return StrataUpdate.Apply(state, evaluation, s => Add(s, evaluation.Baseline.LatencySamplesMs, candidate, theta, tail));
    }

    private static Stratum Add(Stratum stratum, IReadOnlyList<double> baseline, IReadOnlyList<double> candidate, double theta, double tail)
    {
        var ladder = stratum.Latency ?? LatencyLadder.Empty;
        if (ladder.Cut is null)
        {
            var baselineWarmup = ladder.BaselineWarmup.AddRange(baseline);
            var candidateWarmup = ladder.CandidateWarmup.AddRange(candidate);
            if (baselineWarmup.Length < (int)Math.Ceiling(10 / tail))
            {
                return stratum with { Latency = ladder with { BaselineWarmup = baselineWarmup, CandidateWarmup = candidateWarmup } };
            }

            // The warm-up's baseline samples chose the cut, so they are not counted against it.
            ladder = new LatencyLadder(Quantile(baselineWarmup, 1 - tail), [], [], ladder.CandidateBins);
            baseline = [];
            candidate = candidateWarmup;
        }

        var cut = ladder.Cut!.Value; // set above or on an earlier look
        long baselineAbove = 0;
        foreach (var latency in baseline)
        {
            baselineAbove += latency > cut ? 1 : 0;
        }

        var bins = ladder.CandidateBins.ToArray();
        var scaledCut = (1 + theta) * cut;
        long candidateAbove = 0;
        foreach (var latency in candidate)
        {
            bins[LatencyLadder.BinOf(latency, cut, theta)]++;
            candidateAbove += latency > scaledCut ? 1 : 0;
        }

        return stratum with
        {
            Baseline = stratum.Baseline.Add(baseline.Count, baselineAbove, baselineAbove),
            Candidate = stratum.Candidate.Add(candidate.Count, candidateAbove, candidateAbove),
            Latency = ladder with { CandidateBins = ImmutableCollectionsMarshal.AsImmutableArray(bins) },
        };
    }

    /// <summary>The empirical quantile (the ⌈q·n⌉-th smallest), floored above zero so ratios stay finite.</summary>
    private static double Quantile(IEnumerable<double> samples, double q)
    {
        var sorted = samples.Where(x => !double.IsNaN(x)).Order().ToArray();
        return sorted.Length == 0 ? 1e-6 : Math.Max(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)], 1e-6);
    }

    public static Assessment Limit(GuardrailSpec spec, GuardrailState state, double limit, double alpha, double elapsed)
    {
        var tally = state.LimitTally;
        var tail = Tail(spec.Metric);
        var samples = new SampleCounts(0, tally.N);
        if (tally.N < spec.MinSamples)
        {
            return Assessment.Insufficient(samples, () => $"{Name(spec)}: {tally.N} candidate latency samples so far, {spec.MinSamples} needed before testing the {Formats.Ms(limit)} limit.");
        }

        // The quantile is above the limit exactly when more than the tail share of requests is.
        var v = Math.Max(tail * (1 - tail), tally.SmoothedRateVariance);
        var variance = v / tally.N;
        var tau2 = tail * tail;
        var half = MixtureSprt.OneSidedHalfWidth(variance, tau2, alpha);
        var excess = tally.Mean - tail;
        var plan = PowerPlan.Plan(v, 0, tau2, alpha, samples, elapsed);
        var status = Assessment.StatusOf(excess, half, plan.Underpowered);
        string reason() => $"{Formats.Rate(tally.Mean)} of the candidate's sampled requests took longer than {Formats.Ms(limit)} (always-valid bounds {Formats.Rate(Math.Max(0, tally.Mean - half))} to {Formats.Rate(Math.Min(1, tally.Mean + half))}); {Name(spec)} stays under the limit while at most {Formats.Rate(tail)} do: {Formats.Verdict(status)}.";
        return new Assessment(status, excess, null, tally.Mean, excess, (excess - half, excess + half),
            MixtureSprt.PValue(MixtureSprt.LogOneSidedRatio(excess, variance, tau2)), samples,
            plan.Underpowered ? plan.Needed : null, plan.Underpowered ? plan.Eta : null, reason);
    }

    public static string Name(GuardrailSpec spec) => spec.Metric == GuardrailMetric.LatencyP99 ? "p99 latency" : "p95 latency";
}
