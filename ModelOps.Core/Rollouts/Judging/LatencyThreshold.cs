namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// The threshold half of <see cref="LatencyGuardrail"/>: per rung k, D_k = P(candidate &gt; r_k·q̃) −
/// P(baseline &gt; q̃), combined across steps with CMH weights. The decision is the test at the
/// rung r = 1 + θ; the relative increase is where D crosses zero; the interval's ends are the
/// outermost rungs whose tests reject on each side (the decision rung's boundary constant reused).
/// </summary>
internal static class LatencyThreshold
{
    public const double TauInTails = 1.5;

    public static Assessment Assess(GuardrailSpec spec, GuardrailState state, double theta, double alpha, double elapsed)
    {
        const int rungs = LatencyLadder.Rungs;
        Span<double> d = stackalloc double[rungs];
        Span<double> v = stackalloc double[rungs];
        double weights = 0, cut = 0;
        long nb = 0, nc = 0, warmup = 0;
        var tail = LatencyGuardrail.Tail(spec.Metric);
        foreach (var s in state.Strata)
        {
            nb += s.Baseline.N;
            nc += s.Candidate.N;
            var h = StrataUpdate.Weight(s.Candidate.N, s.Baseline.N);
            if (s.Latency is not { Cut: { } stratumCut } ladder)
            {
                warmup = s.Latency?.BaselineWarmup.Length ?? 0;
                continue;
            }

            cut = stratumCut;
            if (h == 0)
            {
                continue;
            }

            weights += h;
            var vb = s.Baseline.SmoothedRateVariance;
            long above = 0;
            for (var k = rungs - 1; k >= 0; k--)
            {
                above += ladder.CandidateBins[k + 1];
                var vc = Math.Max(new ArmTally(s.Candidate.N, above, above).SmoothedRateVariance, vb);
                d[k] += h * (((double)above / s.Candidate.N) - s.Baseline.Mean);
                v[k] += h * h * ((vc / s.Candidate.N) + (vb / s.Baseline.N));
            }
        }

        var samples = new SampleCounts(nb, nc);

        // τ: the candidate's share beyond the +θ cut exceeding the baseline's by 1.5 tail shares.
        // Erring large costs little (ln ρ in the boundary), erring small a lot (1/ρ), and the
        // regressions worth stopping fast sit between +½ and +3 tail shares.
        var tau2 = Math.Pow(TauInTails * tail, 2);
        var plan = PowerPlan.Plan(tail * (1 - tail), tail * (1 - tail), tau2, alpha, samples, elapsed, spec.MinSamples, spec.MinSamples);
        if (weights == 0 || nb < spec.MinSamples || nc < spec.MinSamples)
        {
            var why = cut == 0
                ? $"estimating the baseline's quantile from {warmup} of {Math.Ceiling(10 / tail)} warm-up samples"
                : $"{nc} candidate and {nb} baseline samples, {spec.MinSamples} needed per arm";
            return Assessment.Insufficient(samples, () => $"{LatencyGuardrail.Name(spec)}: {why}.", plan.Needed, plan.Eta);
        }

        for (var k = 0; k < rungs; k++)
        {
            d[k] /= weights;
            v[k] /= weights * weights;
        }

        var half = MixtureSprt.OneSidedHalfWidth(v[LatencyLadder.Half], tau2, alpha);
        var constant = half / Math.Sqrt(v[LatencyLadder.Half]);
        var excess = d[LatencyLadder.Half];
        var status = Assessment.StatusOf(excess, half, plan.Underpowered);
        var effect = Math.Exp(Crossing(d, theta)) - 1;
        var ci = Bounds(d, v, constant, theta, status == VerdictStatus.Fail);
        // Beyond the ladder's top rung (e^1 above 1 + θ) the quantile is only known to lie above it.
        var beyond = d[^1] > 0 ? "more than " : string.Empty;
        string reason() => $"{LatencyGuardrail.Name(spec)} is {beyond}{Formats.Ms(cut * (1 + effect))} on the candidate vs {Formats.Ms(cut)} on the baseline, {beyond}{Formats.Percent(effect)} (always-valid bounds {Formats.Percent(ci.Low)} to {Formats.Percent(ci.High)}; {Formats.Points(excess)} more requests beyond +{Formats.Number(theta * 100)} % of the baseline's) against an allowed {Formats.Percent(theta)}: {Formats.Verdict(status)}.";
        return new Assessment(status, excess, cut, cut * (1 + effect), effect, ci,
            MixtureSprt.PValue(MixtureSprt.LogOneSidedRatio(excess, v[LatencyLadder.Half], tau2)), samples,
            plan.Underpowered ? plan.Needed : null, plan.Underpowered ? plan.Eta : null, reason);
    }

    /// <summary>
    /// ln of the ratio where D (non-increasing along the rungs) first reaches zero, interpolated
    /// between the last rung above zero and the first at or below it; clamped to the ladder. With
    /// ties (identical latencies) D drops straight to zero, so the estimate is within one rung (5 %).
    /// </summary>
    private static double Crossing(ReadOnlySpan<double> d, double theta)
    {
        for (var k = 0; k < d.Length; k++)
        {
            if (d[k] <= 0)
            {
                var t = k == 0 ? 1 : d[k - 1] / (d[k - 1] - d[k]);
                return Math.Log(LatencyLadder.RatioAt(k, theta)) - ((1 - t) * LatencyLadder.Step);
            }
        }

        return Math.Log(LatencyLadder.RatioAt(d.Length - 1, theta));
    }

    /// <summary>
    /// The interval of the relative increase: the highest rung confidently exceeded and the lowest
    /// confidently not. The low end is searched at or above the decision rung only when the decision
    /// failed, so "interval wholly beyond θ" and Fail always agree.
    /// </summary>
    private static (double Low, double High) Bounds(ReadOnlySpan<double> d, ReadOnlySpan<double> v, double constant, double theta, bool failed)
    {
        var low = 0;
        var from = failed ? LatencyLadder.Rungs - 1 : LatencyLadder.Half - 1;
        var to = failed ? LatencyLadder.Half : 0;
        for (var k = from; k >= to; k--)
        {
            if (d[k] > constant * Math.Sqrt(v[k]))
            {
                low = k;
                break;
            }
        }

        var high = LatencyLadder.Rungs - 1;
        for (var k = 0; k < LatencyLadder.Rungs; k++)
        {
            if (d[k] < -constant * Math.Sqrt(v[k]))
            {
                high = k;
                break;
            }
        }

        return (LatencyLadder.RatioAt(failed ? Math.Max(low, LatencyLadder.Half) : low, theta) - 1, LatencyLadder.RatioAt(high, theta) - 1);
    }
}
