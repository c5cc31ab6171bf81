namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// The judge: a guardrail's spec, the measurements of both arms since the previous look and the
/// guardrail's state in; the new state and a verdict out. Pure: no I/O, no clock, no randomness.
/// Cumulative since the rollout began (a sequential test is valid only on data gathered since it
/// started), effects estimated per routing step and combined, every bound tested with an
/// always-valid mixture SPRT (<see cref="MixtureSprt"/>), and a Fail counts for rollback only once
/// it has held for sustainSeconds; the timer resets when the point estimate is back inside.
/// Method, α and the family-wise bound: docs/judge.md.
/// </summary>
public static class GuardrailJudge
{
    public static Judgement Evaluate(GuardrailSpec spec, Evaluation evaluation, GuardrailState state)
    {
        var now = evaluation.Now;
        state = Accumulate(spec, evaluation, state) with { StartedAt = state.StartedAt ?? now, Looks = state.Looks + 1 };
        var elapsed = (now - state.StartedAt!.Value).TotalSeconds; // set on the line above
        var split = spec.Threshold is not null && spec.Limit is not null && spec.Metric is not (GuardrailMetric.Srm or GuardrailMetric.Offline);
        var alpha = split ? spec.Alpha / 2 : spec.Alpha;
        var segmented = KpiSegments.Applies(spec);
        var thresholdAlpha = segmented ? KpiSegments.PooledAlpha(alpha) : alpha;

        var (threshold, limit) = Assess(spec, evaluation, state, thresholdAlpha, alpha, elapsed);
        var thresholdP = Math.Min(state.ThresholdPValue, threshold?.PValue ?? 1);
        var limitP = Math.Min(state.LimitPValue, limit?.PValue ?? 1);
        var decisive = limit is not null && (threshold is null || limit.Rank > threshold.Rank) ? limit : threshold
            ?? Assessment.Insufficient(new SampleCounts(0, 0), () => "No bound can be judged in this phase: the guardrail has only a threshold and no baseline runs alongside.");
        var pValue = decisive == limit ? limitP : thresholdP;
        var decisiveAlpha = decisive == threshold ? thresholdAlpha : alpha;

        SegmentedKpi? segments = null;
        if (segmented && threshold is not null)
        {
            var (segmentStates, assessments) = KpiSegments.Assess(spec, state, spec.Threshold!.Value, alpha, elapsed);
            state = state with { Segments = segmentStates };
            var segmentAlpha = KpiSegments.SegmentAlpha(spec, alpha);
            string? decidedBy = null;

            // Only a segment's Fail decides; among failing segments the most certain one speaks.
            var worst = assessments.Where(a => a.Assessment.Status == VerdictStatus.Fail).OrderBy(a => a.Segment.PValue).FirstOrDefault();
            if (worst.Assessment is { } failing && decisive.Status != VerdictStatus.Fail)
            {
                var label = KpiSegments.Label(spec, worst.Segment.Value);
                decidedBy = label;
                decisive = failing with { Reason = () => $"The KPI in segment {label} fails (one of {spec.SegmentCount} segments of {spec.SegmentBy}{(spec.SegmentEdges is { Count: > 0 } edges ? $" cut at {string.Join(", ", edges.Select(Formats.Number))}" : "")}, each at α = {Formats.Number(segmentAlpha)}): {failing.Reason()}" };
                pValue = worst.Segment.PValue;
                decisiveAlpha = segmentAlpha;
            }

            segments = new SegmentedKpi(
                spec.SegmentBy!,
                spec.SegmentCount,
                decidedBy,
                KpiSegments.Figures("pooled", threshold, thresholdP, thresholdAlpha),
                [.. assessments
                    .OrderByDescending(a => a.Assessment.Rank).ThenBy(a => a.Segment.PValue).ThenBy(a => a.Segment.Value, StringComparer.Ordinal)
                    .Select(a => KpiSegments.Figures(KpiSegments.Label(spec, a.Segment.Value), a.Assessment, a.Segment.PValue, segmentAlpha))]);
        }

        // Marginal neither starts nor resets the timer; only a point estimate back inside resets it.
        var breachedSince = decisive.Status switch
        {
            VerdictStatus.Fail => state.BreachedSince ?? now,
            VerdictStatus.Marginal => state.BreachedSince,
            _ => null,
        };
        var sustained = decisive.Status == VerdictStatus.Fail && breachedSince is { } since && (now - since).TotalSeconds >= spec.SustainSeconds;
        var newState = state with { ThresholdPValue = thresholdP, LimitPValue = limitP, BreachedSince = breachedSince };
        var verdict = new Verdict(
            spec.Metric, decisive.Status, decisive.Baseline, decisive.Candidate, spec.Threshold, spec.Limit, decisiveAlpha,
            decisive.Effect, decisive.Ci, decisive.PValue is null ? null : pValue, breachedSince, decisive.Samples,
            decisive.SamplesNeeded, decisive.EtaSeconds, sustained, decisive.Reason, segments);
        return new Judgement(newState, verdict);
    }

    private static GuardrailState Accumulate(GuardrailSpec spec, Evaluation evaluation, GuardrailState state) => spec.Metric switch
    {
        GuardrailMetric.LatencyP95 or GuardrailMetric.LatencyP99 => LatencyGuardrail.Accumulate(spec, evaluation, state),
        GuardrailMetric.ErrorRate or GuardrailMetric.TimeoutRate or GuardrailMetric.NullRate => RateGuardrail.Accumulate(spec, evaluation, state),
        GuardrailMetric.Kpi => KpiSegments.Accumulate(spec, evaluation, KpiGuardrail.Accumulate(evaluation, state)),
        GuardrailMetric.ScorePsi or GuardrailMetric.DriftPsi => PsiGuardrail.Accumulate(spec, evaluation, state),
        GuardrailMetric.Srm => SampleRatioGuardrail.Accumulate(evaluation, state),
        _ => state,
    };

    private static (Assessment? Threshold, Assessment? Limit) Assess(GuardrailSpec spec, Evaluation evaluation, GuardrailState state, double thresholdAlpha, double alpha, double elapsed)
    {
        var hasBaseline = state.Strata.Length > 0;
        var theta = hasBaseline ? spec.Threshold : null;
        switch (spec.Metric)
        {
            case GuardrailMetric.LatencyP95 or GuardrailMetric.LatencyP99:
                return (theta is { } t ? LatencyThreshold.Assess(spec, state, t, alpha, elapsed) : null,
                        spec.Limit is { } l ? LatencyGuardrail.Limit(spec, state, l, alpha, elapsed) : null);
            case GuardrailMetric.ErrorRate or GuardrailMetric.TimeoutRate or GuardrailMetric.NullRate:
                return (theta is { } rt ? RateGuardrail.Threshold(spec, state, rt, alpha, elapsed) : null,
                        spec.Limit is { } rl ? RateGuardrail.Limit(spec, state, rl, alpha, elapsed) : null);
            case GuardrailMetric.Kpi:
                return (theta is { } kt ? KpiGuardrail.Threshold(spec, state, kt, thresholdAlpha, elapsed) : null,
                        spec.Limit is { } kl ? KpiGuardrail.Limit(spec, state, kl, alpha, elapsed) : null);
            case GuardrailMetric.ScorePsi:
                return ((spec.Threshold ?? spec.Limit) is { } st && state.BaselineBins.Length > 0 ? PsiGuardrail.Assess(spec, state, evaluation, st, alpha) : null, null);
            case GuardrailMetric.DriftPsi:
                return ((spec.Threshold ?? spec.Limit) is { } dt ? PsiGuardrail.Assess(spec, state, evaluation, dt, alpha) : null, null);
            case GuardrailMetric.Srm:
                return (hasBaseline ? SampleRatioGuardrail.Assess(spec, state, alpha, elapsed) : null, null);
            default:
                return (OfflineGuardrail.Assess(spec, evaluation, spec.Threshold, spec.Limit), null);
        }
    }
}
