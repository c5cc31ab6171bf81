using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Tests.Rollouts.Judging;

/// <summary>
/// A/A and boundary properties over many seeds, 300 looks each (10 minutes at a look every 2 s):
/// the share of runs that ever reach a sustained failure stays within α, however often looked at.
/// </summary>
public sealed class JudgeCalibrationTests
{
    private const double Alpha = 0.05;
    private const int Seeds = 200;
    private const int Looks = 300;

    [Fact]
    public void Judge_AAErrorRateOverManySeeds_RollsBackAtMostAlpha()
    {
        var spec = new GuardrailSpec(GuardrailMetric.ErrorRate, Threshold: 0.005, Alpha: Alpha);

        Assert.InRange(RolledBackShare(spec, seed => random => (JudgeStreams.Arm(random, 64, 0.01), JudgeStreams.Arm(random, 16, 0.01))), 0, Alpha);
    }

    [Fact]
    public void Judge_ErrorRateExactlyAtThreshold_RollsBackAtMostAlpha()
    {
        var spec = new GuardrailSpec(GuardrailMetric.ErrorRate, Threshold: 0.005, Alpha: Alpha);

        Assert.InRange(RolledBackShare(spec, seed => random => (JudgeStreams.Arm(random, 64, 0.01), JudgeStreams.Arm(random, 16, 0.015))), 0, Alpha);
    }

    [Fact]
    public void Judge_P95ScaledExactlyByThreshold_RollsBackAtMostAlpha()
    {
        var spec = new GuardrailSpec(GuardrailMetric.LatencyP95, Threshold: 0.2, Alpha: Alpha);

        Assert.InRange(RolledBackShare(spec, seed => random => (JudgeStreams.Arm(random, 64, 0.01), JudgeStreams.Arm(random, 16, 0.01, latencyScale: 1.2))), 0, Alpha);
    }

    [Fact]
    public void Judge_AAKpiOverManySeeds_RollsBackAtMostAlpha()
    {
        var spec = new GuardrailSpec(GuardrailMetric.Kpi, Threshold: 0.02, Alpha: Alpha);

        Assert.InRange(RolledBackShare(spec, seed => random => (JudgeStreams.Arm(random, 64, 0.01), JudgeStreams.Arm(random, 16, 0.01))), 0, Alpha);
    }

    [Fact]
    public void Judge_AASampleRatioOverManySeeds_RollsBackAtMostAlpha()
    {
        var spec = GuardrailSpec.SampleRatio(Alpha);

        Assert.InRange(RolledBackShare(spec, seed => random =>
        {
            var candidate = 0;
            for (var i = 0; i < 80; i++)
            {
                candidate += random.NextDouble() < 0.2 ? 1 : 0;
            }

            return (new ArmMeasurements(80 - candidate, 0, 0, []), new ArmMeasurements(candidate, 0, 0, []));
        }), 0, Alpha);
    }

    private static double RolledBackShare(GuardrailSpec spec, Func<int, Func<Random, (ArmMeasurements Baseline, ArmMeasurements Candidate)>> stream)
    {
        var rolledBack = 0;
        for (var seed = 0; seed < Seeds; seed++)
        {
            var random = new Random(seed);
            var next = stream(seed);
            var verdicts = JudgeStreams.Run(spec, Looks, i =>
            {
                var (baseline, candidate) = next(random);
                return JudgeStreams.Look(i, baseline, candidate);
            });
            rolledBack += verdicts.Any(v => v.Sustained) ? 1 : 0;
        }

        return (double)rolledBack / Seeds;
    }
}
