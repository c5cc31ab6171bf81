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
}
