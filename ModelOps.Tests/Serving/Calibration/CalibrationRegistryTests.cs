using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelOps.Inference.Serving.Calibration;

namespace ModelOps.Tests.Serving.Calibration;

public sealed class CalibrationRegistryTests
{
    [Fact]
    public void Calibrate_DisabledModel_ReturnsTheRawScoreAndLearnsNothing()
    {
        var registry = NewRegistry();

        var observed = registry.Observe("fraud", 1, 0.3, 1);
        var calibrated = registry.Calibrate("fraud", 1, 0.3);

        Assert.False(observed);
        Assert.Equal(0.3, calibrated);
        Assert.Equal(CalibrationState.Identity, registry.Get("fraud", 1));
    }

    [Fact]
    public void Calibrate_EnabledModelBeforeAnyOutcome_IsIdentity()
    {
        var registry = NewRegistry();

        Assert.Equal(0.3, registry.Calibrate("ctr-ranker", 1, 0.3), 9);
    }

    [Fact]
    public void Observe_OneVersion_LeavesOtherVersionsUntouched()
    {
        var registry = NewRegistry();

        registry.Observe("ctr-ranker", 1, 0.3, 1);

        Assert.Equal(1, registry.Get("ctr-ranker", 1).Observations);
        Assert.Equal(CalibrationState.Identity, registry.Get("ctr-ranker", 2));
    }

    [Fact]
    public void Set_ThenCalibrate_UsesTheGivenParameters()
    {
        var registry = NewRegistry();
        var state = new CalibrationState(2, -1, 500);

        registry.Set("ctr-ranker", 1, state);

        Assert.Equal(PlattCalibration.Apply(state, 0.3), registry.Calibrate("ctr-ranker", 1, 0.3));
        Assert.Equal(state, registry.Get("ctr-ranker", 1));
    }

    [Fact]
    public void Set_NonFiniteParameters_Throws()
    {
        var registry = NewRegistry();

        Assert.Throws<ArgumentException>(() => registry.Set("ctr-ranker", 1, new CalibrationState(double.NaN, 0, 0)));
    }

    [Fact]
    public void AddCalibration_ZeroLearningRate_FailsValidation()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ModelOps:Inference:Calibration:LearningRate"] = "0" })
            .Build();
        using var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddCalibration()
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<CalibrationRegistry>());

        Assert.Contains("LearningRate", error.Message);
    }

    private static CalibrationRegistry NewRegistry() =>
        new(Options.Create(new CalibrationOptions { Models = ["ctr-ranker"] }));
}
