using Microsoft.Extensions.Configuration;
using ModelOps.Core.Demo;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Inference.Serving.Calibration;
using ModelOps.Tests.Infrastructure;
using ModelOps.Web.Simulator;

namespace ModelOps.Tests.Demo;

/// <summary>
/// The world property the README's night demo relies on, computed from the click world and the
/// trained models rather than from a run: at the simulator's default show threshold, on raw scores,
/// v3 shows ads in the small hours that v2 holds back, and they click less — per shown ad, the KPI
/// the guardrail judges. If a change to the world, the models or the defaults erodes it, the demo
/// no longer rolls v3 back in the first night, and these tests say so before a 25-minute run does.
/// </summary>
public sealed class DemoNightHarmTests
{
    private const int Seed = 42;
    private const int ImpressionsPerHour = 20_000;

    private static readonly Lazy<IReadOnlyList<DemoModelVersion>> Family =
        new(() => new DemoModelFamily(new ModelOps.Inference.Onnx.LinearModelOnnxWriter()).Build(Seed));

    [Fact]
    public void SmallHours_DefaultShowThreshold_V3ClicksPerShownAdAtLeastAQuarterBelowV2()
    {
        // The part of the day the documented plan cuts at 6 (feature.hour=< 6).
        var harm = RelativeChangePerShownAd(Enumerable.Range(0, 6), new SimulatorOptions());

        // Measured at −37 %; 25 % leaves room and still decides within the first night at 100 req/s.
        Assert.True(harm <= -0.25, $"v3 vs v2 clicks per shown ad before 06:00: {harm:P1}");
    }

    [Fact]
    public void Daytime_DefaultShowThreshold_V3WithinTheAllowedDrop()
    {
        // By day v3 is v2 (its day labels are clean): within the plan's allowed 2 % drop.
        var harm = RelativeChangePerShownAd(Enumerable.Range(9, 13), new SimulatorOptions());

        Assert.True(Math.Abs(harm) < 0.02, $"v3 vs v2 clicks per shown ad 09:00-21:59: {harm:P1}");
    }

    [Fact]
    public void ShippedSettings_DoNotCalibrateTheDemoModel()
    {
        // Online Platt scaling learns v3's night offset back from its own clicks within seconds,
        // leaving a harm of −7 % to −10 % that the guardrail needs two or three nights to confirm.
        var settings = new ConfigurationBuilder().AddJsonFile(Path.Combine(Repository.Root(), "appsettings.json")).Build();
        var calibration = settings.GetSection(CalibrationOptions.Section).Get<CalibrationOptions>() ?? new CalibrationOptions();
        var simulator = settings.GetSection(SimulatorOptions.Section).Get<SimulatorOptions>() ?? new SimulatorOptions();

        Assert.DoesNotContain(DemoModelFamily.ModelName, calibration.Models);
        Assert.Equal(new SimulatorOptions().ShowThreshold, simulator.ShowThreshold);
    }

    /// <summary>
    /// Expected clicks per shown ad of v3 relative to v2 over <paramref name="hours"/>, each hour
    /// weighted equally (the simulator sends the same rate every simulated hour), shown by the
    /// simulator's own rule (<see cref="SimulatorOptions.Shows"/>), with the world's
    /// true click probability as the expectation of each shown ad's outcome.
    /// </summary>
    private static double RelativeChangePerShownAd(IEnumerable<int> hours, SimulatorOptions simulator)
    {
        var v2 = Family.Value.Single(version => version.VersionLabel == 2);
        var v3 = Family.Value.Single(version => version.VersionLabel == 3);
        var encoder = FeatureEncoder.Create(v2.EncoderSpec).Value!; // v3 shares v2's encoder; demo specs are valid
        var world = new ClickWorld();
        double shown2 = 0, clicks2 = 0, shown3 = 0, clicks3 = 0;
        foreach (var hour in hours)
        {
            var random = new Random(Seed + hour);
            for (var i = 0; i < ImpressionsPerHour; i++)
            {
                var impression = world.DrawImpression(hour, random);
                var row = encoder.Encode(impression.ToFeatures()).Value!;
                var click = world.TrueClickProbability(impression);
                if (simulator.Shows(v2.Model.Predict(row)))
                {
                    shown2++;
                    clicks2 += click;
                }

                if (simulator.Shows(v3.Model.Predict(row)))
                {
                    shown3++;
                    clicks3 += click;
                }
            }
        }

        return (clicks3 / shown3) / (clicks2 / shown2) - 1;
    }
}
