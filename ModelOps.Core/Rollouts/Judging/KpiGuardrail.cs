namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// kpi: outcome per served request, counting a request only once its attribution window has
/// closed (the caller's measurements hold only those). The relative drop θ is tested as the
/// linear contrast C = mean_c − (1 − θ)·mean_b ≥ 0, so no delta method is needed; Bernoulli and
/// continuous outcomes alike (sums of squares). The candidate's variance is shrunk towards the
/// baseline's with the weight of <see cref="PriorSamples"/> outcomes, so a candidate with few
/// outcomes yet (a handful of clicks) cannot look certain, and floored at (1 − θ)·the baseline's,
/// the variance at the null boundary for rare 0/1 outcomes: a Bernoulli mean that happens to be low
/// also has a low estimated variance, which without the floor made the at-threshold benchmark row
/// fail 0.7 % of rollouts at α = 1 % instead of 0.2 %.
/// </summary>
internal static class KpiGuardrail
{
    public const double TauInThresholds = 5;
    public const int PriorSamples = 1000;

    private static double Shrunk(ArmTally candidate, double baselineVariance) =>
        ((candidate.N * candidate.Variance) + (PriorSamples * baselineVariance)) / (candidate.N + PriorSamples);

    public static GuardrailState Accumulate(Evaluation evaluation, GuardrailState state)
    {
        var c = evaluation.Candidate;
        state = state with { LimitTally = state.LimitTally.Add(c.KpiCount, c.KpiSum, c.KpiSumSquares) };
        if (evaluation.Baseline is not { } b)
        {
            return state;
        }

        return StrataUpdate.Apply(state, evaluation, s => s with
        {
            Baseline = s.Baseline.Add(b.KpiCount, b.KpiSum, b.KpiSumSquares),
            Candidate = s.Candidate.Add(c.KpiCount, c.KpiSum, c.KpiSumSquares),
        });
    }

    public static Assessment Threshold(GuardrailSpec spec, GuardrailState state, double theta, double alpha, double elapsed)
    {
        double weights = 0, contrast = 0, variance = 0, baselineMean = 0, vc = 0, vb = 0;
        ArmTally baseline = default, candidate = default;
        var keep = 1 - theta;
        foreach (var s in state.Strata)
        {
            baseline = baseline.Add(s.Baseline);
            candidate = candidate.Add(s.Candidate);
            var h = StrataUpdate.Weight(s.Candidate.N, s.Baseline.N);
            if (h == 0)
            {
                continue;
            }

            vb = s.Baseline.Variance;
            vc = Math.Max(Shrunk(s.Candidate, vb), keep * vb);
            weights += h;
            baselineMean += h * s.Baseline.Mean;
            contrast += h * (s.Candidate.Mean - (keep * s.Baseline.Mean));
            variance += h * h * ((vc / s.Candidate.N) + (keep * keep * vb / s.Baseline.N));
        }

        var samples = new SampleCounts(baseline.N, candidate.N);
        var pooledBaseline = weights > 0 ? baselineMean / weights : 0;

        // τ: a drop of 5·θ (10 % for the usual 2 %) in the contrast's units. KPI thresholds are
        // small next to the drops worth stopping fast, and a τ below the effect costs far more
        // time (1/ρ in the boundary) than one above it (ln ρ).
        var tau2 = Math.Pow(TauInThresholds * theta * pooledBaseline, 2);
        var plan = PowerPlan.Plan(vc, keep * keep * vb, tau2, alpha, samples, elapsed,
            Math.Max(spec.MinSamples, pooledBaseline > 0 ? (long)Math.Ceiling(ExpectedEvents.Minimum / pooledBaseline) : 0), spec.MinSamples);
        if (weights == 0 || samples.Candidate < spec.MinSamples || samples.Baseline < spec.MinSamples)
        {
            return Assessment.Insufficient(samples, () => $"The KPI: {samples.Candidate} candidate and {samples.Baseline} baseline outcomes past their {spec.AttributionSeconds} s attribution window, {spec.MinSamples} needed per arm.", tau2 > 0 ? plan.Needed : null, tau2 > 0 ? plan.Eta : null);
        }

        contrast /= weights;
        baselineMean = pooledBaseline;
        variance /= weights * weights;
        if (!(variance > 0) || !(baselineMean > 0))
        {
            return Assessment.Insufficient(samples, () => "The KPI: outcomes show no variation yet (or a zero baseline), so no drop can be measured.");
        }

        if (candidate.N * baselineMean < ExpectedEvents.Minimum)
        {
            return Assessment.Insufficient(samples, () => $"The KPI: {candidate.N} candidate outcomes would hold about {Formats.Number(candidate.N * baselineMean)} events at the baseline's rate; {ExpectedEvents.Minimum} are needed before a normal approximation can be trusted.", plan.Needed, plan.Eta);
        }

        var half = MixtureSprt.OneSidedHalfWidth(variance, tau2, alpha);
        var excess = -contrast;
        var status = Assessment.StatusOf(excess, half, plan.Underpowered);

        // Relative change = C/mean_b − θ; the bounds divide by the estimated baseline mean, which
        // keeps "interval wholly below −θ" identical to the contrast test's decision.
        var effect = (contrast / baselineMean) - theta;
        var ci = ((contrast - half) / baselineMean - theta, (contrast + half) / baselineMean - theta);
        string reason() => $"The KPI is {Formats.Number(baselineMean * (1 + effect))} per request on the candidate vs {Formats.Number(baselineMean)} on the baseline (step-weighted), {Formats.Percent(effect)} (always-valid bounds {Formats.Percent(ci.Item1)} to {Formats.Percent(ci.Item2)}) against an allowed drop of {Formats.Percent(theta)}: {Formats.Verdict(status)}.";
        return new Assessment(status, excess, baselineMean, baselineMean * (1 + effect), effect, ci,
            MixtureSprt.PValue(MixtureSprt.LogOneSidedRatio(excess, variance, tau2)), samples,
            plan.Underpowered ? plan.Needed : null, plan.Underpowered ? plan.Eta : null, reason);
    }

    public static Assessment Limit(GuardrailSpec spec, GuardrailState state, double limit, double alpha, double elapsed)
    {
        var tally = state.LimitTally;
        var samples = new SampleCounts(0, tally.N);
        if (tally.N < spec.MinSamples || !(tally.Variance > 0))
        {
            return Assessment.Insufficient(samples, () => $"The KPI: {tally.N} candidate outcomes past attribution, {spec.MinSamples} with some variation needed before testing the limit.");
        }

        var variance = tally.Variance / tally.N;

        // τ: a shortfall of a tenth of the limit is the smallest one worth stopping for.
        var tau2 = Math.Pow(Math.Max(Math.Abs(limit) * 0.1, 1e-9), 2);
        var half = MixtureSprt.OneSidedHalfWidth(variance, tau2, alpha);
        var excess = limit - tally.Mean;
        var plan = PowerPlan.Plan(tally.Variance, 0, tau2, alpha, samples, elapsed);
        var status = Assessment.StatusOf(excess, half, plan.Underpowered);
        string reason() => $"The KPI of the candidate is {Formats.Number(tally.Mean)} per request (always-valid bounds {Formats.Number(tally.Mean - half)} to {Formats.Number(tally.Mean + half)}) against a floor of {Formats.Number(limit)}: {Formats.Verdict(status)}.";
        return new Assessment(status, excess, null, tally.Mean, tally.Mean, (tally.Mean - half, tally.Mean + half),
            MixtureSprt.PValue(MixtureSprt.LogOneSidedRatio(excess, variance, tau2)), samples,
            plan.Underpowered ? plan.Needed : null, plan.Underpowered ? plan.Eta : null, reason);
    }
}
