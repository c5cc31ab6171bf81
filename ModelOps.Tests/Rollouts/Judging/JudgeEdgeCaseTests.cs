using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Tests.Rollouts.Judging;

public sealed class JudgeEdgeCaseTests
{
    public static TheoryData<GuardrailMetric> Sampled => new()
    {
        GuardrailMetric.LatencyP95, GuardrailMetric.LatencyP99, GuardrailMetric.ErrorRate, GuardrailMetric.TimeoutRate,
        GuardrailMetric.Kpi, GuardrailMetric.NullRate, GuardrailMetric.ScorePsi, GuardrailMetric.DriftPsi, GuardrailMetric.Srm,
    };

    [Theory]
    [MemberData(nameof(Sampled))]
    public void Judge_ZeroRequests_IsInsufficientAndFinite(GuardrailMetric metric)
    {
        var spec = new GuardrailSpec(metric, Threshold: 0.1, Limit: metric == GuardrailMetric.Srm ? null : 0.5, Feature: "f0");

        var verdicts = JudgeStreams.Run(spec, 10, i => JudgeStreams.Look(i, ArmMeasurements.Empty, ArmMeasurements.Empty));

        Assert.All(verdicts, v => Assert.Equal(VerdictStatus.InsufficientData, v.Status));
        Assert.All(verdicts, AssertFinite);
    }

    [Theory]
    [MemberData(nameof(Sampled))]
    public void Judge_BaselineArmEmpty_NeverProducesNaN(GuardrailMetric metric)
    {
        var random = new Random(2);
        var spec = new GuardrailSpec(metric, Threshold: 0.1, Feature: "f0", MinSamples: 10);

        var verdicts = JudgeStreams.Run(spec, 30, i => JudgeStreams.Look(i, ArmMeasurements.Empty, JudgeStreams.Arm(random, 20, 0.1)));

        Assert.All(verdicts, AssertFinite);
    }

    [Fact]
    public void Judge_AllLatenciesIdentical_PassesWithoutNaN()
    {
        var same = Enumerable.Repeat(50.0, 64).ToArray();
        var arm = new ArmMeasurements(64, 0, 0, same);
        var spec = new GuardrailSpec(GuardrailMetric.LatencyP99, Threshold: 0.2, Limit: 100);

        var verdicts = JudgeStreams.Run(spec, 300, i => JudgeStreams.Look(i, arm, arm));

        Assert.All(verdicts, AssertFinite);
        Assert.Equal(VerdictStatus.Pass, verdicts[^1].Status);
        Assert.InRange(verdicts[^1].Effect!.Value, -0.05, 0.05); // within a rung of the ladder
    }

    [Fact]
    public void Judge_EveryRequestAnError_FailsWithoutNaN()
    {
        var spec = new GuardrailSpec(GuardrailMetric.ErrorRate, Threshold: 0.005, Limit: 0.05);

        var verdicts = JudgeStreams.Run(spec, 30, i => JudgeStreams.Look(i, new ArmMeasurements(64, 64, 0, []), new ArmMeasurements(16, 16, 0, [])));

        Assert.All(verdicts, AssertFinite);
        Assert.Equal(VerdictStatus.Fail, verdicts[^1].Status); // the limit: every request fails, far above 5 %
    }

    private static void AssertFinite(Verdict verdict)
    {
        double?[] numbers = [verdict.Baseline, verdict.Candidate, verdict.Effect, verdict.PValue, verdict.EtaSeconds, verdict.Ci?.Low, verdict.Ci?.High];
        Assert.All(numbers, n => Assert.False(n is { } x && double.IsNaN(x), $"NaN in {verdict}"));
        Assert.False(string.IsNullOrWhiteSpace(verdict.Reason));
        Assert.DoesNotContain("NaN", verdict.Reason, StringComparison.Ordinal);
    }
}
