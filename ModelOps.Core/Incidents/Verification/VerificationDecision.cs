using System.Globalization;
using ModelOps.Core.Incidents.Series;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Incidents.Verification;

/// <summary>
/// Post-rollback verification, decided: has what tripped recovered on the rollback target? Pure:
/// the plan's guardrails, what tripped, the baseline arm's values during the rollout and the
/// target's buckets over the window in; a <see cref="VerificationResult"/> out.
/// <list type="bullet">
/// <item>Which guardrails: those that failed at the decision. When none did (a manual rollback with
/// everything passing, an approval raised by a person or a deadline) or none of them can be
/// measured on the target alone, every hard guardrail the series can measure — except a KPI
/// threshold: outcomes per request follow the day (the demo's fall by a third at nightfall, on every
/// version), so holding the target to the baseline's level during the rollout would report a
/// regression that is only the hour. A KPI that tripped is still checked, as asked.</item>
/// <item>A <c>limit</c> must hold in every judged bucket of the window (one with at least
/// <see cref="MinBucketSamples"/> observations), not just on average.</item>
/// <item>A <c>threshold</c> compares the target's pooled value over the window with the baseline
/// arm's during the rollout, as the plan words it (latency: relative increase; error and timeout
/// rate: absolute increase; KPI: relative drop).</item>
/// <item>Insufficient data is <c>notRecovered</c>, not an extension: fewer observations than the
/// guardrail's <c>minSamples</c>, judged buckets covering less than half the window, or no
/// baseline to compare with. An unverified recovery is escalated to a person rather than assumed.</item>
/// </list>
/// </summary>
public static class VerificationDecision
{
    /// <summary>A bucket with fewer observations is too noisy to hold to a limit on its own (one error in 5 requests is 20 %).</summary>
    public const long MinBucketSamples = 20;

    public static bool IsMeasurable(GuardrailMetric metric) =>
        metric is GuardrailMetric.LatencyP95 or GuardrailMetric.LatencyP99 or GuardrailMetric.ErrorRate or GuardrailMetric.TimeoutRate or GuardrailMetric.Kpi;

    /// <summary>
    /// The plan's guardrails that tripped: failing in the verdicts at the decision (when they line up
    /// with the plan), plus the guardrail a reverted or timed-out approval was raised for.
    /// </summary>
    public static IReadOnlySet<int> Tripped(IReadOnlyList<GuardrailSpec> plan, IReadOnlyList<VerdictRecord> verdicts, int? approvalGuardrail)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(verdicts);
        var tripped = new HashSet<int>();
        if (verdicts.Count == plan.Count)
        {
            tripped.UnionWith(Enumerable.Range(0, plan.Count).Where(i => verdicts[i].Status == VerdictStatus.Fail));
        }

        if (approvalGuardrail is { } index && index >= 0 && index < plan.Count)
        {
            tripped.Add(index);
        }

        return tripped;
    }

    /// <summary>The guardrails to verify and why those (the result's <c>basis</c>).</summary>
    public static (IReadOnlyList<VerificationGuardrail> Guardrails, string Basis) Select(IReadOnlyList<GuardrailSpec> plan, IReadOnlySet<int> tripped)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(tripped);
        var indexed = plan.Select((spec, index) => new VerificationGuardrail(index, spec, tripped.Contains(index))).Where(g => IsMeasurable(g.Spec.Metric)).ToList();
        var trippedOnes = indexed.Where(g => g.Tripped).ToList();
        if (trippedOnes.Count > 0)
        {
            return (trippedOnes, "what tripped at the rollback");
        }

        var hard = indexed.Where(g => g.Spec.Severity == GuardrailSeverity.Hard && !(g.Spec.Metric == GuardrailMetric.Kpi && g.Spec.Limit is null)).ToList();
        return (hard, tripped.Count == 0
            ? "nothing had tripped: every hard guardrail"
            : "what tripped cannot be measured on the target alone: every hard guardrail");
    }

    /// <summary>The window: from the first whole bucket after traffic was restored, for at least <paramref name="seconds"/>.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Window(DateTimeOffset restoredAt, int seconds)
    {
        var from = IncidentSeriesRecorder.Ceiling(restoredAt);
        var buckets = Math.Max(1, (seconds + IncidentSeriesRecorder.BucketSeconds - 1) / IncidentSeriesRecorder.BucketSeconds);
        return (from, from.AddSeconds(buckets * IncidentSeriesRecorder.BucketSeconds));
    }

    /// <summary>
    /// Each guardrail of the plan with the baseline arm's pooled value over its buckets in [<paramref name="from"/>, <paramref name="to"/>).
    /// A KPI threshold is the exception when <paramref name="kpiSeconds"/> (the verification window's length) is given: outcomes per
    /// request follow the hour of day, so the KPI baseline is the same length of time just before the decision — the period nearest
    /// the window, where the hour differs least — unless that holds fewer than the guardrail's <c>minSamples</c> outcomes, then the
    /// whole series as before.
    /// </summary>
    public static IReadOnlyList<GuardrailBaseline> Baselines(
        IReadOnlyList<GuardrailSpec> plan, IReadOnlyList<SeriesBucket> baseline, DateTimeOffset from, DateTimeOffset to, int? kpiSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(baseline);
        var summary = ArmSummary.Of(Within(baseline, from, to));
        var nearFrom = kpiSeconds is { } seconds && to.AddSeconds(-seconds) > from ? to.AddSeconds(-seconds) : from;
        var near = ArmSummary.Of(Within(baseline, nearFrom, to));
        return [.. plan.Select((spec, i) =>
        {
            var (arm, start) = spec.Metric == GuardrailMetric.Kpi && spec.Threshold is not null && near.SamplesOf(spec.Metric) >= spec.MinSamples
                ? (near, nearFrom)
                : (summary, from);
            return new GuardrailBaseline(
                i, spec.Metric, spec.Severity, spec.Threshold, spec.Limit, arm.ValueOf(spec.Metric), IsMeasurable(spec.Metric) ? arm.SamplesOf(spec.Metric) : 0, start, to);
        })];
    }

    private static IEnumerable<SeriesBucket> Within(IEnumerable<SeriesBucket> buckets, DateTimeOffset from, DateTimeOffset to) =>
        buckets.Where(b => b.At >= from && b.At.AddSeconds(b.Seconds) <= to);

    public static VerificationResult Decide(
        IReadOnlyList<VerificationGuardrail> guardrails, string basis, IReadOnlyList<GuardrailBaseline> baselines, IReadOnlyList<SeriesBucket> target, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(guardrails);
        ArgumentNullException.ThrowIfNull(baselines);
        ArgumentNullException.ThrowIfNull(target);
        var window = target.Where(b => b.At >= from && b.At.AddSeconds(b.Seconds) <= to).ToList();
        var buckets = (int)((to - from).TotalSeconds / IncidentSeriesRecorder.BucketSeconds);
        var pooled = ArmSummary.Of(window);
        var checks = new List<VerificationCheck>();
        foreach (var guardrail in guardrails)
        {
            if (guardrail.Spec.Limit is { } limit)
            {
                checks.Add(LimitCheck(guardrail, limit, window, pooled, buckets));
            }

            if (guardrail.Spec.Threshold is { } threshold)
            {
                checks.Add(ThresholdCheck(guardrail, threshold, baselines.FirstOrDefault(b => b.Guardrail == guardrail.Index), pooled, window.Count, buckets));
            }
        }

        var failed = checks.Where(c => c.Outcome == CheckOutcome.Fail).ToList();
        var thin = checks.Where(c => c.Outcome == CheckOutcome.InsufficientData).ToList();
        var (status, reason) = (checks.Count, failed.Count, thin.Count) switch
        {
            (0, _, _) => (IncidentStates.NotRecovered, "insufficient data: no guardrail of the plan can be measured on the target alone (latency, error or timeout rate, KPI); verify by hand."),
            (_, > 0, _) => (IncidentStates.NotRecovered, $"not recovered: {string.Join("; ", failed.Select(c => c.Reason))}"),
            (_, _, > 0) => (IncidentStates.NotRecovered, $"insufficient data: {string.Join("; ", thin.Select(c => c.Reason))}"),
            _ => (IncidentStates.Recovered, $"recovered: {checks.Count} check(s) held on the target over the {(to - from).TotalSeconds:0} s window."),
        };
        return new VerificationResult(status, reason, basis, from, to, checks);
    }

    private static VerificationCheck LimitCheck(VerificationGuardrail guardrail, double limit, IReadOnlyList<SeriesBucket> window, ArmSummary pooled, int buckets)
    {
        var metric = guardrail.Spec.Metric;
        var atLeast = metric == GuardrailMetric.Kpi;
        var judged = window.Where(b => SamplesOf(b, metric) >= MinBucketSamples && ValueOf(b, metric) is not null).Select(b => (b.At, Value: ValueOf(b, metric)!.Value)).ToList();
        var breaches = judged.Where(b => atLeast ? b.Value < limit : b.Value > limit).ToList();
        double? worst = judged.Count == 0 ? null : atLeast ? judged.Min(b => b.Value) : judged.Max(b => b.Value);
        var samples = pooled.SamplesOf(metric);
        var name = $"{metric.ToWire()} limit {Number(limit)}";
        var (outcome, reason) = breaches.Count > 0
            ? (CheckOutcome.Fail, $"{name} broken in {breaches.Count} of {judged.Count} bucket(s), worst {Number(worst)} (first at {breaches[0].At:HH:mm:ss})")
            : samples < guardrail.Spec.MinSamples
                ? (CheckOutcome.InsufficientData, $"{name}: {samples} observation(s) on the target, {guardrail.Spec.MinSamples} needed")
                : judged.Count * 2 < buckets
                    ? (CheckOutcome.InsufficientData, $"{name}: only {judged.Count} of {buckets} bucket(s) had {MinBucketSamples} observations to judge")
                    : (CheckOutcome.Pass, $"{name} held in all {judged.Count} judged bucket(s), worst {Number(worst)}");
        return new VerificationCheck(guardrail.Index, metric, "limit", guardrail.Tripped, atLeast ? "atLeast" : "atMost", limit, worst, null, samples, judged.Count, buckets, outcome, reason);
    }

    private static VerificationCheck ThresholdCheck(VerificationGuardrail guardrail, double threshold, GuardrailBaseline? baseline, ArmSummary pooled, int judged, int buckets)
    {
        var metric = guardrail.Spec.Metric;
        var atLeast = metric == GuardrailMetric.Kpi;
        double? expected = baseline?.Baseline is not { } b ? null : metric switch
        {
            GuardrailMetric.LatencyP95 or GuardrailMetric.LatencyP99 => b * (1 + threshold),
            GuardrailMetric.Kpi => b * (1 - threshold),
            _ => b + threshold,
        };
        var observed = pooled.ValueOf(metric);
        var samples = pooled.SamplesOf(metric);
        var name = $"{metric.ToWire()} threshold {Number(threshold)} vs the baseline's {Number(baseline?.Baseline)} during the rollout";
        var (outcome, reason) = expected is null || baseline!.Samples < guardrail.Spec.MinSamples // expected is set only when baseline is
            ? (CheckOutcome.InsufficientData, $"{name}: the baseline had {baseline?.Samples ?? 0} observation(s) during the rollout, {guardrail.Spec.MinSamples} needed")
            : observed is null || samples < guardrail.Spec.MinSamples
                ? (CheckOutcome.InsufficientData, $"{name}: {samples} observation(s) on the target, {guardrail.Spec.MinSamples} needed")
                : (atLeast ? observed >= expected : observed <= expected)
                    ? (CheckOutcome.Pass, $"{name}: {Number(observed)} is within {Number(expected)}")
                    : (CheckOutcome.Fail, $"{name}: {Number(observed)} is beyond {Number(expected)}");
        return new VerificationCheck(guardrail.Index, metric, "threshold", guardrail.Tripped, atLeast ? "atLeast" : "atMost", expected, observed, baseline?.Baseline, samples, judged, buckets, outcome, reason);
    }

    private static double? ValueOf(SeriesBucket bucket, GuardrailMetric metric) => metric switch
    {
        GuardrailMetric.LatencyP95 => bucket.LatencyP95Ms,
        GuardrailMetric.LatencyP99 => bucket.LatencyP99Ms,
        GuardrailMetric.ErrorRate => bucket.ErrorRate,
        GuardrailMetric.TimeoutRate => bucket.TimeoutRate,
        GuardrailMetric.Kpi => bucket.KpiMean,
        _ => null,
    };

    private static long SamplesOf(SeriesBucket bucket, GuardrailMetric metric) => metric == GuardrailMetric.Kpi ? bucket.KpiCount : bucket.Requests;

    private static string Number(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "none";
}
