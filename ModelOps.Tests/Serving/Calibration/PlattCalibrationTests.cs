using ModelOps.Inference.Serving.Calibration;

namespace ModelOps.Tests.Serving.Calibration;

public sealed class PlattCalibrationTests
{
    // The miscalibrated world: the model's score p relates to the truth by sigmoid(2·logit(p) − 1),
    // i.e. it is under-confident and biased high. Platt scaling can represent it exactly.
    private const double TrueA = 2;
    private const double TrueB = -1;

    [Fact]
    public void Observe_OutcomesFromMiscalibratedScores_ParametersApproachTheTrueRelation()
    {
        var calibration = new PlattCalibration(0.01, CalibrationState.Identity);
        var random = new Random(20261123);

        for (var i = 0; i < 200_000; i++)
        {
            var (raw, truth) = Draw(random);
            calibration.Observe(raw, random.NextDouble() < truth ? 1 : 0);
        }

        Assert.InRange(calibration.State.A, TrueA - 0.1, TrueA + 0.1);
        Assert.InRange(calibration.State.B, TrueB - 0.1, TrueB + 0.1);
        Assert.Equal(200_000, calibration.State.Observations);
    }

    [Fact]
    public void Observe_OutcomesFromMiscalibratedScores_HeldOutLogLossFallsToNearTheBest()
    {
        var calibration = new PlattCalibration(0.01, CalibrationState.Identity);
        var random = new Random(7);
        var heldOut = Enumerable.Range(0, 20_000).Select(_ => Draw(random)).ToList();
        var before = ExpectedLogLoss(heldOut, calibration.Calibrate);

        for (var i = 0; i < 100_000; i++)
        {
            var (raw, truth) = Draw(random);
            calibration.Observe(raw, random.NextDouble() < truth ? 1 : 0);
        }

        var after = ExpectedLogLoss(heldOut, calibration.Calibrate);
        var best = ExpectedLogLoss(heldOut, p => PlattCalibration.Apply(new CalibrationState(TrueA, TrueB, 0), p));
        Assert.True(after < before, $"log loss went from {before:F4} to {after:F4}");
        Assert.InRange(after - best, 0, 0.005);
    }

    [Theory]
    [InlineData(1.7, 1.0)]
    [InlineData(-3.0, 0.0)]
    public void Observe_OutcomeOutsideUnitInterval_StepsAsIfClamped(double outcome, double clamped)
    {
        var raw = new PlattCalibration(0.01, CalibrationState.Identity);
        var reference = new PlattCalibration(0.01, CalibrationState.Identity);

        raw.Observe(0.3, outcome);
        reference.Observe(0.3, clamped);

        Assert.Equal(reference.State, raw.State);
    }

    [Theory]
    [InlineData(double.NaN, 1.0)]
    [InlineData(0.4, double.NaN)]
    [InlineData(0.4, double.PositiveInfinity)]
    public void Observe_NonFiniteInput_IsRejectedAndChangesNothing(double rawProbability, double outcome)
    {
        var calibration = new PlattCalibration(0.01, CalibrationState.Identity);

        var applied = calibration.Observe(rawProbability, outcome);

        Assert.False(applied);
        Assert.Equal(CalibrationState.Identity, calibration.State);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void Calibrate_ExtremeScore_IsClampedAwayFromZeroAndOne(double rawProbability)
    {
        var calibration = new PlattCalibration(0.01, CalibrationState.Identity);

        var calibrated = calibration.Calibrate(rawProbability);

        Assert.InRange(calibrated, PlattCalibration.Epsilon / 2, 1 - (PlattCalibration.Epsilon / 2));
    }

    [Fact]
    public async Task Observe_ConcurrentObservers_CountsEveryObservation()
    {
        var calibration = new PlattCalibration(0.01, CalibrationState.Identity);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                calibration.Observe(0.5, (i + w) % 2);
            }
        })));

        Assert.Equal(80_000, calibration.State.Observations);
    }

    private static (double Raw, double Truth) Draw(Random random)
    {
        var z = (random.NextDouble() * 8) - 4;
        return (PlattCalibration.Sigmoid(z), PlattCalibration.Sigmoid((TrueA * z) + TrueB));
    }

    // Expected log loss against the true probability (not a sampled outcome), so the comparison is not noisy.
    private static double ExpectedLogLoss(IReadOnlyList<(double Raw, double Truth)> sample, Func<double, double> calibrate) =>
        sample.Average(s =>
        {
            var q = calibrate(s.Raw);
            return -((s.Truth * Math.Log(q)) + ((1 - s.Truth) * Math.Log(1 - q)));
        });
}
