namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// Sample-ratio mismatch: does the candidate receive the share of requests its routing weight
/// promises? Per step the candidate's count is Binomial(n, w) under the null, so S = Σ(c − w·n)
/// has variance Σ n·w(1 − w) exactly; a two-sided mixture SPRT on the share S/Σn, τ = 5 % of the
/// weight (the smallest mismatch worth stopping a rollout for). Steps without a baseline alongside
/// (weight 0 or 1) carry no ratio to check.
/// </summary>
internal static class SampleRatioGuardrail
{
    public const double RelativeTau = 0.05;

    public static GuardrailState Accumulate(Evaluation evaluation, GuardrailState state)
    {
        if (evaluation.Baseline is not { } baseline || evaluation.CandidateWeight is <= 0 or >= 1)
        {
            return state;
        }

        var total = baseline.Requests + evaluation.Candidate.Requests;
        var candidate = evaluation.Candidate.Requests;
        return StrataUpdate.Apply(state, evaluation, s => s with
        {
            Baseline = s.Baseline.Add(baseline.Requests, 0, 0),
            Candidate = s.Candidate.Add(total, candidate, 0),
        });
    }

    public static Assessment Assess(GuardrailSpec spec, GuardrailState state, double alpha, double elapsed)
    {
        double deviation = 0, varianceSum = 0, expected = 0;
        long total = 0, candidate = 0, baseline = 0;
        foreach (var s in state.Strata)
        {
            total += s.Candidate.N;
            candidate += (long)s.Candidate.Sum;
            baseline += s.Baseline.N;
            deviation += s.Candidate.Sum - (s.Weight * s.Candidate.N);
            varianceSum += s.Candidate.N * s.Weight * (1 - s.Weight);
            expected += s.Weight * s.Candidate.N;
        }

        var samples = new SampleCounts(baseline, candidate);
        if (total < spec.MinSamples || !(varianceSum > 0))
        {
            return Assessment.Insufficient(samples, () => $"Sample ratio: {total} requests routed with a baseline alongside, {spec.MinSamples} needed before testing.");
        }

        var share = (double)candidate / total;
        var weight = expected / total;
        var effect = share - weight;
        var variance = varianceSum / ((double)total * total);
        var tau = RelativeTau * weight;
        var half = MixtureSprt.TwoSidedHalfWidth(variance, tau * tau, alpha);

        // Two-sided: a mismatch either way breaks the comparison. Marginal once the share is off
        // by half the mismatch of interest, so the sustain timer does not reset on every wobble.
        var status = Math.Abs(effect) > half ? VerdictStatus.Fail
            : Math.Abs(effect) > tau / 2 ? VerdictStatus.Marginal
            : VerdictStatus.Pass;
        string reason() => $"The candidate received {Formats.Rate(share)} of {total} requests where its weight promises {Formats.Rate(weight)}, {Formats.Points(effect)} (always-valid bounds {Formats.Points(effect - half)} to {Formats.Points(effect + half)}): {(status == VerdictStatus.Fail ? "a sample-ratio mismatch, the comparison is broken" : "consistent with the routing weight")}.";
        return new Assessment(status, Math.Abs(effect) - (tau / 2), weight, share, effect, (effect - half, effect + half),
            MixtureSprt.PValue(MixtureSprt.LogTwoSidedRatio(effect, variance, tau * tau)), samples, null, null, reason);
    }
}
