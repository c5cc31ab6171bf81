using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using ModelOps.Core.Demo;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Inference.Onnx;

namespace ModelOps.Tests.Demo;

public sealed class DemoModelFamilyTests
{
    private const int Seed = 42;

    // Training is the slow part (~1 s); every test reads the same immutable family.
    private static readonly Lazy<IReadOnlyList<DemoModelVersion>> Family =
        new(() => new DemoModelFamily(new LinearModelOnnxWriter()).Build(Seed));

    private static DemoModelVersion Version(int label) => Family.Value.Single(version => version.VersionLabel == label);

    [Fact]
    public void Build_SameSeedTwice_SameArtifactDigests()
    {
        var again = new DemoModelFamily(new LinearModelOnnxWriter()).Build(Seed);

        Assert.Equal(
            Family.Value.Select(version => Convert.ToHexString(SHA256.HashData(version.OnnxBytes))),
            again.Select(version => Convert.ToHexString(SHA256.HashData(version.OnnxBytes))));
        Assert.Equal(Family.Value.Select(version => version.DatasetHash), again.Select(version => version.DatasetHash));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void OnnxRuntime_EncodedRows_MatchesCSharpSigmoid(int label)
    {
        var version = Version(label);
        var encoder = FeatureEncoder.Create(version.EncoderSpec).Value!; // demo specs are valid (Create asserted by Build)
        var rows = DemoModelFamily.DrawHoldout(Seed).Take(5).Select(row => encoder.Encode(row.Impression.ToFeatures()).Value!).ToArray();
        var flat = rows.SelectMany(row => row).ToArray();
        using var session = new InferenceSession(version.OnnxBytes);
        using var input = OrtValue.CreateTensorValueFromMemory(flat, [rows.Length, encoder.OutputWidth]);

        using var outputs = session.Run(new RunOptions(), ["input"], [input], ["probability"]);

        var probabilities = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(version.Model.Predict(rows[i]), probabilities[i], 1e-5);
        }
    }

    [Theory]
    [InlineData(CtrMetrics.AucOverall)]
    [InlineData(CtrMetrics.AucDay)]
    [InlineData(CtrMetrics.AucNight)]
    public void Metrics_BucketedHour_BeatsLinearHour(string metric)
    {
        Assert.True(Version(2).Metrics[metric] > Version(1).Metrics[metric], $"v2 {Version(2).Metrics[metric]} vs v1 {Version(1).Metrics[metric]}");
    }

    [Fact]
    public void Metrics_CorruptedNightLabels_WorseAtNightOnly()
    {
        var v2 = Version(2).Metrics;
        var v3 = Version(3).Metrics;

        Assert.True(v2[CtrMetrics.AucNight] - v3[CtrMetrics.AucNight] > 0.02, $"night v2 {v2[CtrMetrics.AucNight]} v3 {v3[CtrMetrics.AucNight]}");
        Assert.True(Math.Abs(v3[CtrMetrics.AucDay] - v2[CtrMetrics.AucDay]) < 0.01, $"day v2 {v2[CtrMetrics.AucDay]} v3 {v3[CtrMetrics.AucDay]}");
    }

    [Fact]
    public void Metrics_Reported_EqualRecomputationOnHoldout()
    {
        var version = Version(2);
        var encoder = FeatureEncoder.Create(version.EncoderSpec).Value!; // demo specs are valid
        var holdout = DemoModelFamily.DrawHoldout(Seed);
        var night = holdout.Where(row => ClickWorld.IsNight(row.Impression.Hour)).ToArray();

        double Score(LabeledImpression row) => version.Model.Predict(encoder.Encode(row.Impression.ToFeatures()).Value!);
        var auc = Auc.Compute([.. holdout.Select(Score)], [.. holdout.Select(row => row.Clicked)]);
        var aucNight = Auc.Compute([.. night.Select(Score)], [.. night.Select(row => row.Clicked)]);

        Assert.Equal(auc, version.Metrics[CtrMetrics.AucOverall], 12);
        Assert.Equal(aucNight, version.Metrics[CtrMetrics.AucNight], 12);
        Assert.Equal(7, version.Metrics.Count);
    }

    [Fact]
    public void Auc_TiedScores_CountHalf()
    {
        Assert.Equal(0.5, Auc.Compute([0.3, 0.3, 0.3, 0.3], [true, false, true, false]));
        Assert.Equal(1.0, Auc.Compute([0.1, 0.9], [false, true]));
    }
}
