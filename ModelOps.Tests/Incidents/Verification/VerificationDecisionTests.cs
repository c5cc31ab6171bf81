using ModelOps.Core.Incidents;
using ModelOps.Core.Incidents.Series;
using ModelOps.Core.Incidents.Verification;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Tests.Incidents.Verification;

/// <summary>The pure post-rollback verification: which guardrails it checks, and how each bound is held to the target's buckets.</summary>
public sealed class VerificationDecisionTests
{
    private static readonly DateTimeOffset From = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddSeconds(60);

    private static readonly GuardrailSpec LatencyLimit = new(GuardrailMetric.LatencyP95, Limit: 50);
    private static readonly GuardrailSpec LatencyThreshold = new(GuardrailMetric.LatencyP95, Threshold: 0.2);
    private static readonly GuardrailSpec ErrorThreshold = new(GuardrailMetric.ErrorRate, Threshold: 0.01);
    private static readonly GuardrailSpec KpiThreshold = new(GuardrailMetric.Kpi, Threshold: 0.05, Severity: GuardrailSeverity.Soft);
    private static readonly GuardrailSpec KpiLimit = new(GuardrailMetric.Kpi, Limit: 0.1);

    [Fact]
    public void Decide_LimitHeldInEveryBucket_Recovered()
    {
        var result = Decide(LatencyLimit, Buckets(12, p95: 40));

        Assert.Equal(IncidentStates.Recovered, result.Status);
        var check = Assert.Single(result.Checks);
        Assert.Equal(("limit", CheckOutcome.Pass, 50.0, 40.0, 12 * 100L, 12), (check.Bound, check.Outcome, check.Expected, check.Observed, check.Samples, check.BucketsJudged));
        Assert.False(result.Escalated);
    }

    [Fact]
    public void Decide_LimitBrokenInOneBucketWhileTheMeanHolds_NotRecoveredNamingTheWorstBucket()
    {
        var buckets = Buckets(12, p95: 30).Select((b, i) => i == 7 ? b with { LatencyP95Ms = 80 } : b).ToList();

        var result = Decide(LatencyLimit, buckets);

        Assert.True(ArmSummary.Of(buckets).LatencyP95Ms < 50, "the pooled p95 is within the limit; only one bucket breaks it");
        Assert.Equal(IncidentStates.NotRecovered, result.Status);
        var check = Assert.Single(result.Checks);
        Assert.Equal((CheckOutcome.Fail, 80.0), (check.Outcome, check.Observed));
        Assert.True(result.Escalated);
        Assert.StartsWith("not recovered: latency_p95 limit 50 broken in 1 of 12", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ThinBucketBreakingTheLimit_IsNotJudgedAlone()
    {
        var buckets = Buckets(12, p95: 30).Select((b, i) => i == 3 ? b with { Requests = 5, LatencyP95Ms = 900 } : b).ToList();

        var result = Decide(LatencyLimit, buckets);

        Assert.Equal(IncidentStates.Recovered, result.Status);
        Assert.Equal(11, result.Checks[0].BucketsJudged);
    }

    [Theory]
    [InlineData(11.9, "recovered")]
    [InlineData(12.1, "notRecovered")]
    public void Decide_LatencyThreshold_ComparesThePooledTargetWithTheBaselineDuringTheRollout(double targetP95, string status)
    {
        // Baseline p95 10 ms during the rollout; threshold +20 % → at most 12 ms.
        var result = Decide(LatencyThreshold, Buckets(12, p95: targetP95), baseline: 10);

        Assert.Equal(status, result.Status);
        Assert.Equal(12.0, result.Checks[0].Expected!.Value, 9);
        Assert.Equal(("threshold", "atMost"), (result.Checks[0].Bound, result.Checks[0].Comparison));
    }

    [Theory]
    [InlineData(2, "recovered")]
    [InlineData(4, "notRecovered")]
    public void Decide_ErrorRateThreshold_IsAnAbsoluteIncreaseOverTheBaseline(int errorsPerBucket, string status)
    {
        // Baseline 1 % during the rollout, threshold +1 pp → at most 2 %; 100 requests a bucket.
        var result = Decide(ErrorThreshold, Buckets(12, errors: errorsPerBucket), baseline: 0.01);

        Assert.Equal(status, result.Status);
        Assert.Equal(0.02, result.Checks[0].Expected!.Value, 9);
    }

    [Theory]
    [InlineData(0.096, "recovered")]
    [InlineData(0.094, "notRecovered")]
    public void Decide_KpiThreshold_IsARelativeDropBelowTheBaseline(double kpiMean, string status)
    {
        // Baseline KPI 0.1 during the rollout, threshold 5 % → at least 0.095.
        var result = Decide(KpiThreshold, Buckets(12, kpiCount: 100, kpiMean: kpiMean), baseline: 0.1);

        Assert.Equal(status, result.Status);
        Assert.Equal("atLeast", result.Checks[0].Comparison);
    }

    [Fact]
    public void Decide_KpiLimitFallsBelowInOneBucket_NotRecovered()
    {
        var buckets = Buckets(12, kpiCount: 50, kpiMean: 0.12).Select((b, i) => i == 0 ? b with { KpiSum = 2 } : b).ToList();

        var result = Decide(KpiLimit, buckets);

        Assert.Equal(IncidentStates.NotRecovered, result.Status);
        Assert.Equal(0.04, result.Checks[0].Observed!.Value, 9);
    }

    [Fact]
    public void Decide_FewerObservationsThanMinSamples_NotRecoveredForInsufficientData()
    {
        var result = Decide(LatencyLimit with { MinSamples = 500 }, Buckets(4, p95: 10));

        Assert.Equal(IncidentStates.NotRecovered, result.Status);
        Assert.Equal(CheckOutcome.InsufficientData, result.Checks[0].Outcome);
        Assert.StartsWith("insufficient data: latency_p95 limit 50: 400 observation(s) on the target, 500 needed", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_JudgedBucketsCoverLessThanHalfTheWindow_InsufficientData()
    {
        // 5 of 12 buckets had traffic, enough in total but not across the window.
        var result = Decide(LatencyLimit, Buckets(5, p95: 10, requests: 300));

        Assert.Equal(CheckOutcome.InsufficientData, result.Checks[0].Outcome);
        Assert.Contains("only 5 of 12 bucket(s)", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_NoBaselineRecordedDuringTheRollout_ThresholdHasInsufficientData()
    {
        var result = Decide(LatencyThreshold, Buckets(12, p95: 10), baseline: null);

        Assert.Equal((IncidentStates.NotRecovered, CheckOutcome.InsufficientData), (result.Status, result.Checks[0].Outcome));
    }

    [Fact]
    public void Decide_FailureAndInsufficientDataTogether_ReportsTheFailure()
    {
        var guardrails = new[] { new VerificationGuardrail(0, LatencyLimit, true), new VerificationGuardrail(1, LatencyThreshold, true) };

        var result = VerificationDecision.Decide(guardrails, "test", [], Buckets(12, p95: 70), From, To);

        Assert.Equal([CheckOutcome.Fail, CheckOutcome.InsufficientData], result.Checks.Select(c => c.Outcome));
        Assert.StartsWith("not recovered:", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_NothingMeasurable_NotRecoveredAskingForAManualCheck()
    {
        var result = VerificationDecision.Decide([], "test", [], Buckets(12), From, To);

        Assert.Equal(IncidentStates.NotRecovered, result.Status);
        Assert.Empty(result.Checks);
        Assert.StartsWith("insufficient data", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_TrippedGuardrail_ChecksOnlyThatOne()
    {
        var plan = new[] { LatencyThreshold, new GuardrailSpec(GuardrailMetric.ErrorRate, Limit: 0.05), GuardrailSpec.SampleRatio() };

        var (guardrails, basis) = VerificationDecision.Select(plan, new HashSet<int> { 1 });

        Assert.Equal([1], guardrails.Select(g => g.Index));
        Assert.True(guardrails[0].Tripped);
        Assert.Equal("what tripped at the rollback", basis);
    }

    [Fact]
    public void Select_NothingTripped_ChecksEveryHardMeasurableGuardrail()
    {
        var plan = new[] { LatencyThreshold, KpiThreshold, new GuardrailSpec(GuardrailMetric.Offline, Threshold: 0.05, MetricName: "auc"), GuardrailSpec.SampleRatio() };

        var (guardrails, basis) = VerificationDecision.Select(plan, new HashSet<int>());

        Assert.Equal([0], guardrails.Select(g => g.Index));
        Assert.StartsWith("nothing had tripped", basis, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_NothingTripped_LeavesOutAHardKpiThresholdButKeepsAKpiLimit()
    {
        // Seen on the demo: a manual rollback at nightfall was "notRecovered" on KPI because every
        // version's KPI falls at night, not because the target had not recovered.
        var hardKpi = KpiThreshold with { Severity = GuardrailSeverity.Hard };
        var plan = new[] { LatencyThreshold, hardKpi, KpiLimit };

        var (guardrails, _) = VerificationDecision.Select(plan, new HashSet<int>());
        var (tripped, _) = VerificationDecision.Select(plan, new HashSet<int> { 1 });

        Assert.Equal([0, 2], guardrails.Select(g => g.Index));
        Assert.Equal([1], tripped.Select(g => g.Index));
    }

    [Fact]
    public void Select_OnlyAnUnmeasurableGuardrailTripped_FallsBackToEveryHardMeasurableOne()
    {
        var plan = new[] { LatencyThreshold, GuardrailSpec.SampleRatio() };

        var (guardrails, basis) = VerificationDecision.Select(plan, new HashSet<int> { 1 });

        Assert.Equal([0], guardrails.Select(g => g.Index));
        Assert.StartsWith("what tripped cannot be measured", basis, StringComparison.Ordinal);
    }

    [Fact]
    public void Tripped_FailingVerdictsAndARevertedApprovalsGuardrail_AreBothCounted()
    {
        var plan = new[] { LatencyThreshold, ErrorThreshold, KpiThreshold };
        var verdicts = new[] { Verdict(VerdictStatus.Fail), Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Marginal) };

        var tripped = VerificationDecision.Tripped(plan, verdicts, approvalGuardrail: 2);

        Assert.Equal([0, 2], tripped.Order());
    }

    [Fact]
    public void Tripped_VerdictsThatDoNotLineUpWithThePlan_AreIgnored()
    {
        var tripped = VerificationDecision.Tripped([LatencyThreshold, ErrorThreshold], [Verdict(VerdictStatus.Fail)], approvalGuardrail: null);

        Assert.Empty(tripped);
    }

    [Theory]
    [InlineData("2026-12-02T12:00:00Z", 300, "2026-12-02T12:00:00Z", "2026-12-02T12:05:00Z")]
    [InlineData("2026-12-02T12:00:01.5Z", 300, "2026-12-02T12:00:05Z", "2026-12-02T12:05:05Z")]
    [InlineData("2026-12-02T12:00:03Z", 7, "2026-12-02T12:00:05Z", "2026-12-02T12:00:15Z")]
    public void Window_StartsAtTheNextWholeBucketAfterTheRestore(string restoredAt, int seconds, string from, string to)
    {
        var window = VerificationDecision.Window(DateTimeOffset.Parse(restoredAt, System.Globalization.CultureInfo.InvariantCulture), seconds);

        Assert.Equal((DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture)), window);
    }

    [Fact]
    public void Baselines_PoolTheBaselineBucketsBeforeTheDecision()
    {
        var buckets = Buckets(6, p95: 10, errors: 1).Concat([new SeriesBucket(To, 5, 100, 50, 0, 500, 600, 0, 0)]).ToList();

        var baselines = VerificationDecision.Baselines([LatencyThreshold, ErrorThreshold, GuardrailSpec.SampleRatio()], buckets, From, To);

        Assert.Equal([10.0, 0.01, null], baselines.Select(b => b.Baseline));
        Assert.Equal([600L, 600L, 0L], baselines.Select(b => b.Samples));
    }

    [Fact]
    public void Baselines_KpiThresholdWithAVerificationWindow_UsesTheSameLengthJustBeforeTheDecision()
    {
        // Ten minutes of baseline: a day-time KPI of 0.30 for eight minutes, then nightfall at 0.20 for the last two.
        var start = To.AddMinutes(-10);
        var buckets = Enumerable.Range(0, 120)
            .Select(i => new SeriesBucket(start.AddSeconds(5 * i), 5, 100, 0, 0, 10, 15, (i < 96 ? 0.30 : 0.20) * 100, 100))
            .ToList();
        GuardrailSpec[] plan = [KpiThreshold with { MinSamples = 500 }, KpiLimit, LatencyThreshold];

        var near = VerificationDecision.Baselines(plan, buckets, start, To, kpiSeconds: 120);
        var thin = VerificationDecision.Baselines(plan, buckets, start, To, kpiSeconds: 20);
        var whole = VerificationDecision.Baselines(plan, buckets, start, To);

        Assert.Equal(0.20, near[0].Baseline!.Value, 6); // The two minutes nearest the window, not the day's mean.
        Assert.Equal((To.AddSeconds(-120), 2_400L), (near[0].From, near[0].Samples));
        Assert.Equal(0.28, near[1].Baseline!.Value, 6); // A KPI limit and other metrics keep the whole series.
        Assert.Equal(start, near[2].From);
        Assert.Equal(0.28, thin[0].Baseline!.Value, 6); // 400 outcomes in 20 s: fewer than minSamples, so the whole series.
        Assert.Equal(start, thin[0].From);
        Assert.Equal(0.28, whole[0].Baseline!.Value, 6);
    }

    private static VerificationResult Decide(GuardrailSpec spec, IReadOnlyList<SeriesBucket> target, double? baseline = null)
    {
        var baselines = new[] { new GuardrailBaseline(0, spec.Metric, spec.Severity, spec.Threshold, spec.Limit, baseline, baseline is null ? 0 : 10_000, From.AddMinutes(-10), From) };
        return VerificationDecision.Decide([new VerificationGuardrail(0, spec, true)], "test", baselines, target, From, To);
    }

    /// <summary><paramref name="count"/> consecutive 5 s buckets from the window's start.</summary>
    private static List<SeriesBucket> Buckets(int count, double p95 = 10, int errors = 0, int requests = 100, int kpiCount = 0, double kpiMean = 0) =>
        [.. Enumerable.Range(0, count).Select(i => new SeriesBucket(From.AddSeconds(5 * i), 5, requests, errors, 0, p95, p95 * 1.5, kpiMean * kpiCount, kpiCount))];

    private static VerdictRecord Verdict(VerdictStatus status) =>
        new(GuardrailMetric.LatencyP95, status, 1, 1, 0.2, null, 0.005, null, null, null, null, null, new SampleCounts(100, 100), null, null, false, "test");
}
