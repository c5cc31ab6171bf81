using ModelOps.Core.Demo;
using ModelOps.Core.Divergence;
using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Tests.Divergence;

public sealed class SegmentKeysTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 3, 15, 0, TimeSpan.Zero);

    [Fact]
    public void For_DemoEncoderV2_RegionHourOfDayCategoriesAndTheHourBucket()
    {
        var features = new Dictionary<string, FeatureValue>
        {
            ["hour"] = FeatureValue.FromNumber(2),
            ["device"] = FeatureValue.FromText("mobile"),
            ["region"] = FeatureValue.FromText("apac"),
            ["user_id"] = FeatureValue.FromText("***"),
        };

        var segments = SegmentKeys.For("eu", At, features, CtrEncoderSpecs.Version2()).Select(s => s.ToString()).ToList();

        Assert.Equal(["region=eu", "hourOfDay=03", "feature.hour=[2, 3)", "feature.device=mobile", "feature.region=apac"], segments);
    }

    [Theory]
    [InlineData(0.5, "feature.hour=< 1")]
    [InlineData(23.5, "feature.hour=>= 23")]
    public void For_NumberOutsideTheInnerEdges_LandsInTheEndBuckets(double hour, string expected)
    {
        var features = new Dictionary<string, FeatureValue> { ["hour"] = FeatureValue.FromNumber(hour) };

        var segments = SegmentKeys.For(null, At, features, CtrEncoderSpecs.Version2());

        Assert.Contains(expected, segments.Select(s => s.ToString()));
        Assert.Contains("region=(none)", segments.Select(s => s.ToString()));
    }

    [Fact]
    public void For_PersonalAndPlainNumericFeatures_AreNeverSegments()
    {
        var segments = SegmentKeys.For("eu", At, null, CtrEncoderSpecs.Version2());

        Assert.DoesNotContain(segments, s => s.Dimension is "feature.user_id" or "feature.item_popularity" or "feature.user_tenure_days");
    }

    [Theory]
    [InlineData(2.0, "< 6")]
    [InlineData(6.0, "[6, 12)")]
    [InlineData(17.5, "[12, 18)")]
    [InlineData(23.0, ">= 18")]
    [InlineData(null, SegmentKeys.None)]
    public void Of_FeatureWithEdges_GivesTheIntervalTheValueFallsIn(double? hour, string expected)
    {
        var features = hour is { } h ? new Dictionary<string, FeatureValue> { ["hour"] = FeatureValue.FromNumber(h) } : [];

        var value = SegmentKeys.Of(SegmentKeys.WithEdges("feature.hour", [6, 12, 18]), At, features, CtrEncoderSpecs.Version2());

        Assert.Equal(expected, value);
    }

    [Fact]
    public void Of_HourOfDayWithEdges_CutsTheUtcHour()
    {
        var dimension = SegmentKeys.WithEdges("hourOfDay", [6, 12, 18]);

        Assert.Equal(("hourOfDay@6,12,18", "< 6", ">= 18"), (dimension, SegmentKeys.Of(dimension, At, null, null), SegmentKeys.Of(dimension, At.AddHours(17), null, null)));
    }

    [Fact]
    public void Of_EdgesOnACategoricalFeature_IsNoSegment()
    {
        var features = new Dictionary<string, FeatureValue> { ["device"] = FeatureValue.FromText("mobile") };

        Assert.Null(SegmentKeys.Of(SegmentKeys.WithEdges("feature.device", [1]), At, features, CtrEncoderSpecs.Version2()));
    }
}
