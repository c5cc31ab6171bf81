using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Tests.Rollouts.Judging;

public sealed class GuardrailJudgeTests
{
    private static readonly GuardrailSpec Errors = new(GuardrailMetric.ErrorRate, Threshold: 0.005, SustainSeconds: 10, Alpha: 0.01);

    [Fact]
    public void Judge_ErrorRateFarAboveThreshold_FailsThenRollsBackAfterSustain()
    {
        var random = new Random(7);
        var verdicts = JudgeStreams.Run(Errors, 200, i => JudgeStreams.Look(i, JudgeStreams.Arm(random, 64, 0.01), JudgeStreams.Arm(random, 16, 0.15)));

        var firstFail = verdicts.First(v => v.Status == VerdictStatus.Fail);
        var firstSustained = verdicts.First(v => v.Sustained);
        Assert.False(firstFail.Sustained);
        Assert.Equal(firstFail.BreachedSince, firstSustained.BreachedSince);
        Assert.True(verdicts.IndexOf(firstSustained) - verdicts.IndexOf(firstFail) >= 5); // 10 s at a look every 2 s
    }

    [Fact]
    public void Judge_PointEstimateBackInsideThreshold_ResetsBreach()
    {
        var random = new Random(3);
        var verdicts = JudgeStreams.Run(Errors, 40, i => i < 20
            ? JudgeStreams.Look(i, JudgeStreams.Arm(random, 4000, 0.01), JudgeStreams.Arm(random, 1000, 0.2))
            : JudgeStreams.Look(i, JudgeStreams.Arm(random, 100_000, 0.01), JudgeStreams.Arm(random, 100_000, 0.0)));

        Assert.Contains(verdicts.Take(20), v => v.Status == VerdictStatus.Fail);
        Assert.True(verdicts[^1].Effect < Errors.Threshold);
        Assert.Null(verdicts[^1].BreachedSince);
        Assert.False(verdicts[^1].Sustained);
    }

    [Fact]
    public void Judge_TwoProportions_EffectAndIntervalMatchHandComputation()
    {
        var look = JudgeStreams.Look(0, new ArmMeasurements(2000, 20, 0, []), new ArmMeasurements(1000, 30, 0, []));

        var verdict = GuardrailJudge.Evaluate(Errors, look, GuardrailState.Initial).Verdict;

        // Smoothed rates (x + ½)/(n + 1); the candidate's variance is at least the null boundary's (1 % + 0.5 pp).
        var pb = 20.5 / 2001;
        var pc = 30.5 / 1001;
        var variance = (Math.Max(pc * (1 - pc), 0.015 * 0.985) / 1000) + (pb * (1 - pb) / 2000);
        var half = MixtureSprt.OneSidedHalfWidth(variance, 0.005 * 0.005, 0.01);
        Assert.Equal(0.02, verdict.Effect!.Value, 12);
        Assert.Equal(0.02 - half, verdict.Ci!.Value.Low, 12);
        Assert.Equal(2.5497, (0.02 - 0.005) / Math.Sqrt(variance), 4); // z beyond the threshold
        Assert.Equal(VerdictStatus.Marginal, verdict.Status); // beyond it, but the always-valid boundary here is z ≈ 4.5
    }

    [Fact]
    public void Judge_LatencyDoubled_FailsP95WithEffectNearPlusHundredPercent()
    {
        var random = new Random(11);
        var spec = new GuardrailSpec(GuardrailMetric.LatencyP95, Threshold: 0.2, Alpha: 0.01);

        var verdicts = JudgeStreams.Run(spec, 150, i => JudgeStreams.Look(i, JudgeStreams.Arm(random, 128, 0.01), JudgeStreams.Arm(random, 32, 0.01, latencyScale: 2)));

        var last = verdicts[^1];
        Assert.Equal(VerdictStatus.Fail, last.Status);
        Assert.InRange(last.Effect!.Value, 0.7, 1.3);
        Assert.True(last.Ci!.Value.Low > 0.2);
    }

    [Fact]
    public void Judge_LatencyBeyondTheLadder_SaysItIsMoreThanTheTopRungAndOnlyThen()
    {
        var random = new Random(11);
        var spec = new GuardrailSpec(GuardrailMetric.LatencyP95, Threshold: 0.2, Alpha: 0.01);

        var tenfold = JudgeStreams.Run(spec, 150, i => JudgeStreams.Look(i, JudgeStreams.Arm(random, 128, 0.01), JudgeStreams.Arm(random, 32, 0.01, latencyScale: 10)))[^1];
        var doubled = JudgeStreams.Run(spec, 150, i => JudgeStreams.Look(i, JudgeStreams.Arm(random, 128, 0.01), JudgeStreams.Arm(random, 32, 0.01, latencyScale: 2)))[^1];

        Assert.Equal(VerdictStatus.Fail, tenfold.Status);
        Assert.Contains("is more than ", tenfold.Reason, StringComparison.Ordinal); // the ladder tops out at 3.26x the baseline's quantile
        Assert.DoesNotContain("more than", doubled.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_KpiHalved_Fails()
    {
        var random = new Random(5);
        var spec = new GuardrailSpec(GuardrailMetric.Kpi, Threshold: 0.02, Alpha: 0.01);

        var verdicts = JudgeStreams.Run(spec, 300, i => JudgeStreams.Look(i, JudgeStreams.Arm(random, 64, 0.01), JudgeStreams.Arm(random, 16, 0.01, kpiRate: 0.025)));

        Assert.Equal(VerdictStatus.Fail, verdicts[^1].Status);
        Assert.True(verdicts[^1].Ci!.Value.High < -0.02);
    }

    [Fact]
    public void Judge_NoBaselineAlongside_JudgesTheLimitOnly()
    {
        var random = new Random(9);
        var spec = Errors with { Limit = 0.05 };

        var verdicts = JudgeStreams.Run(spec, 100, i => JudgeStreams.Look(i, null, JudgeStreams.Arm(random, 80, 0.15), weight: 1));

        Assert.Equal(VerdictStatus.Fail, verdicts[^1].Status);
        Assert.Null(verdicts[^1].Baseline);
        Assert.Equal(0.005, verdicts[^1].Alpha); // α split between the threshold and the limit
    }

    [Fact]
    public void Judge_OnlyThresholdAndNoBaseline_IsInsufficientData()
    {
        var verdict = GuardrailJudge.Evaluate(Errors, JudgeStreams.Look(0, null, new ArmMeasurements(500, 50, 0, []), weight: 1), GuardrailState.Initial).Verdict;

        Assert.Equal(VerdictStatus.InsufficientData, verdict.Status);
    }

    [Fact]
    public void Judge_FewSamplesInsideThreshold_IsInsufficientWithSamplesNeededAndEta()
    {
        var random = new Random(1);
        var verdicts = JudgeStreams.Run(Errors, 20, i => JudgeStreams.Look(i, JudgeStreams.Arm(random, 64, 0.01), JudgeStreams.Arm(random, 16, 0.0)));

        var last = verdicts[^1];
        Assert.Equal(VerdictStatus.InsufficientData, last.Status);
        Assert.True(last.SamplesNeeded!.Candidate > last.Samples.Candidate);
        Assert.True(last.EtaSeconds > 0);
        Assert.False(string.IsNullOrWhiteSpace(last.Reason));
    }

    [Fact]
    public void Judge_CandidateStarvedOfTraffic_FailsSampleRatio()
    {
        var spec = GuardrailSpec.SampleRatio(0.01);

        var verdicts = JudgeStreams.Run(spec, 60, i => JudgeStreams.Look(i, new ArmMeasurements(72, 0, 0, []), new ArmMeasurements(8, 0, 0, []), weight: 0.2));

        Assert.Equal(VerdictStatus.Fail, verdicts[^1].Status);
        Assert.Contains("mismatch", verdicts[^1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_OfflineMetricDroppedBeyondThreshold_Fails()
    {
        var spec = new GuardrailSpec(GuardrailMetric.Offline, Threshold: 0.01, MetricName: "auc");
        var references = RolloutReferences.None with
        {
            OfflineMetrics = new Dictionary<string, OfflineScores>(StringComparer.Ordinal) { ["auc"] = new(0.70, 0.75) },
        };

        var verdict = GuardrailJudge.Evaluate(spec, JudgeStreams.Look(0, null, ArmMeasurements.Empty) with { References = references }, GuardrailState.Initial).Verdict;

        Assert.Equal(VerdictStatus.Fail, verdict.Status);
        Assert.Equal(-0.05, verdict.Effect!.Value, 12);
    }
}
