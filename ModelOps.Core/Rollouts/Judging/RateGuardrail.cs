namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// error_rate, timeout_rate and null_rate (per feature): a difference of proportions per step,
/// combined across steps with CMH weights; the threshold is an allowed absolute increase, the
/// limit an absolute rate. The candidate's variance is the larger of its own (smoothed) and the
/// one implied by the null boundary (baseline + θ), so a few early events cannot make it look certain.
/// </summary>
internal static class RateGuardrail
{
    public static (long N, long Events) Extract(GuardrailSpec spec, ArmMeasurements arm)
    {
        switch (spec.Metric)
        {
            case GuardrailMetric.ErrorRate:
                return (arm.Requests, arm.Errors);
            case GuardrailMetric.TimeoutRate:
                return (arm.Requests, arm.Timeouts);
            default:
                var feature = spec.Feature is not null && arm.Features is not null ? arm.Features.GetValueOrDefault(spec.Feature) : null;
                return feature is null ? (0, 0) : (feature.Observations, feature.Nulls);
        }
    }

    public static GuardrailState Accumulate(GuardrailSpec spec, Evaluation evaluation, GuardrailState state)
    {
        var (nc, ec) = Extract(spec, evaluation.Candidate);
        state = state with { LimitTally = state.LimitTally.Add(nc, ec, ec) };
        if (evaluation.Baseline is null)
        {
            return state;
        }

        var (nb, eb) = Extract(spec, evaluation.Baseline);
        return StrataUpdate.Apply(state, evaluation, s => s with
        {
            Baseline = s.Baseline.Add(nb, eb, eb),
            Candidate = s.Candidate.Add(nc, ec, ec),
        });
    }

    public static Assessment Threshold(GuardrailSpec spec, GuardrailState state, double theta, double alpha, double elapsed)
    {
        double weights = 0, estimate = 0, variance = 0, vc = 0, vb = 0, standard = 0;
        ArmTally baseline = default, candidate = default;
        foreach (var s in state.Strata)
        {
            baseline = baseline.Add(s.Baseline);
            candidate = candidate.Add(s.Candidate);
            var h = StrataUpdate.Weight(s.Candidate.N, s.Baseline.N);
            if (h == 0)
            {
                continue;
            }

            vb = s.Baseline.SmoothedRateVariance;
            var boundary = Math.Clamp(s.Baseline.Mean + theta, 0.5 / (s.Baseline.N + 1), 1 - (0.5 / (s.Baseline.N + 1)));
            vc = Math.Max(s.Candidate.SmoothedRateVariance, boundary * (1 - boundary));
            weights += h;
            standard += h * s.Baseline.Mean;
            estimate += h * (s.Candidate.Mean - s.Baseline.Mean);
            variance += h * h * ((vc / s.Candidate.N) + (vb / s.Baseline.N));
        }

        var samples = new SampleCounts(baseline.N, candidate.N);
        var tau2 = Math.Pow(Math.Max(theta, 0.001), 2);
        var eventsAt = Math.Clamp(baseline.Mean + theta, 1e-6, 1);
        var plan = PowerPlan.Plan(vc, vb, tau2, alpha, samples, elapsed, Math.Max(spec.MinSamples, (long)Math.Ceiling(ExpectedEvents.Minimum / eventsAt)), spec.MinSamples);
        if (weights == 0 || samples.Candidate < spec.MinSamples || samples.Baseline < spec.MinSamples)
        {
            return Assessment.Insufficient(samples, () => $"{Name(spec)}: {samples.Candidate} candidate and {samples.Baseline} baseline samples so far, {spec.MinSamples} needed per arm before testing.", plan.Needed, plan.Eta);
        }

        if (candidate.N * eventsAt < ExpectedEvents.Minimum)
        {
            return Assessment.Insufficient(samples, () => $"{Name(spec)}: {candidate.N} candidate samples would hold about {Formats.Number(candidate.N * eventsAt)} events at the threshold's rate; {ExpectedEvents.Minimum} are needed before a normal approximation can be trusted.", plan.Needed, plan.Eta);
        }

        estimate /= weights;
        variance /= weights * weights;

        // Shown values are standardised like the estimate (the baseline's rate weighted as the
        // steps are, the candidate's = that + the effect), so they never contradict it when the
        // arms' shares of the steps differ (pooled raw rates can: Simpson's paradox).
        standard /= weights;
        var half = MixtureSprt.OneSidedHalfWidth(variance, tau2, alpha);
        var excess = estimate - theta;
        var status = Assessment.StatusOf(excess, half, plan.Underpowered);
        string reason() => $"{Name(spec)} is {Formats.Rate(standard + estimate)} on the candidate vs {Formats.Rate(standard)} on the baseline (step-weighted), a change of {Formats.Points(estimate)} (always-valid bounds {Formats.Points(estimate - half)} to {Formats.Points(estimate + half)}) against an allowed {Formats.Points(theta)}: {Formats.Verdict(status)}.";
        return new Assessment(status, excess, standard, standard + estimate, estimate, (estimate - half, estimate + half),
            MixtureSprt.PValue(MixtureSprt.LogOneSidedRatio(excess, variance, tau2)), samples,
            plan.Underpowered ? plan.Needed : null, plan.Underpowered ? plan.Eta : null, reason);
    }

    public static Assessment Limit(GuardrailSpec spec, GuardrailState state, double limit, double alpha, double elapsed)
    {
        var tally = state.LimitTally;
        var samples = new SampleCounts(0, tally.N);
        if (tally.N < spec.MinSamples)
        {
            return Assessment.Insufficient(samples, () => $"{Name(spec)}: {tally.N} candidate samples so far, {spec.MinSamples} needed before testing the limit.");
        }

        var v = Math.Max(Math.Clamp(limit, 1e-6, 1 - 1e-6) * (1 - Math.Clamp(limit, 1e-6, 1 - 1e-6)), tally.SmoothedRateVariance);
        var variance = v / tally.N;
        var tau2 = Math.Pow(Math.Max(limit, 0.001), 2);
        var half = MixtureSprt.OneSidedHalfWidth(variance, tau2, alpha);
        var excess = tally.Mean - limit;
        var plan = PowerPlan.Plan(v, 0, tau2, alpha, samples, elapsed);
        var status = Assessment.StatusOf(excess, half, plan.Underpowered);
        string reason() => $"{Name(spec)} of the candidate is {Formats.Rate(tally.Mean)} (always-valid bounds {Formats.Rate(Math.Max(0, tally.Mean - half))} to {Formats.Rate(Math.Min(1, tally.Mean + half))}) against a limit of {Formats.Rate(limit)}: {Formats.Verdict(status)}.";
        return new Assessment(status, excess, null, tally.Mean, tally.Mean, (tally.Mean - half, tally.Mean + half),
            MixtureSprt.PValue(MixtureSprt.LogOneSidedRatio(excess, variance, tau2)), samples,
            plan.Underpowered ? plan.Needed : null, plan.Underpowered ? plan.Eta : null, reason);
    }

    private static string Name(GuardrailSpec spec) => spec.Metric switch
    {
        GuardrailMetric.ErrorRate => "The error rate",
        GuardrailMetric.TimeoutRate => "The timeout rate",
        _ => $"The null rate of {spec.Feature}",
    };
}
