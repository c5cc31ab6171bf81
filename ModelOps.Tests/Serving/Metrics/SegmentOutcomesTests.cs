using Microsoft.Extensions.Time.Testing;
using ModelOps.Core.Demo;
using ModelOps.Core.Divergence;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Metrics;

namespace ModelOps.Tests.Serving.Metrics;

/// <summary>KPI outcomes kept per segment for a tracked dimension, read back per arm and window; segment values from the divergence reports' key source.</summary>
public sealed class SegmentOutcomesTests
{
    [Fact]
    public void Query_TrackedDimension_SumsEachSegmentsOutcomesInTheWindow()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 2, 0, 0, TimeSpan.Zero));
        var outcomes = new SegmentOutcomes(600, time);
        var start = time.GetUtcNow();
        outcomes.Track("ctr-ranker", "feature.hour");
        outcomes.Track("ctr-ranker", "feature.hour");

        outcomes.Record("ctr-ranker", 3, Arm.Candidate, [new Segment("feature.hour", "[2, 3)")], 1);
        outcomes.Record("ctr-ranker", 3, Arm.Candidate, [new Segment("feature.hour", "[2, 3)")], 0);
        outcomes.Record("ctr-ranker", 2, Arm.Baseline, [new Segment("feature.hour", "[2, 3)")], 1);
        time.Advance(TimeSpan.FromSeconds(1));
        outcomes.Record("ctr-ranker", 3, Arm.Candidate, [new Segment("feature.hour", "[14, 15)")], 1);
        time.Advance(TimeSpan.FromSeconds(1));

        var all = outcomes.Query("ctr-ranker", 3, Arm.Candidate, start, time.GetUtcNow())!;
        var first = outcomes.Query("ctr-ranker", 3, Arm.Candidate, start, start.AddSeconds(1))!;

        Assert.Equal(["feature.hour"], outcomes.Dimensions("ctr-ranker").ToArray());
        Assert.Equal((2L, 1.0), (all["feature.hour"]["[2, 3)"].N, all["feature.hour"]["[2, 3)"].Sum));
        Assert.Equal(1, all["feature.hour"]["[14, 15)"].N);
        Assert.False(first["feature.hour"].ContainsKey("[14, 15)"));
        Assert.Null(outcomes.Query("other-model", 3, Arm.Candidate, start, time.GetUtcNow()));
    }

    [Fact]
    public void Of_DemoFeatures_GivesTheBucketTheDivergenceReportsUseAndOtherForUnknownCategories()
    {
        var spec = CtrEncoderSpecs.Version2();
        var at = new DateTimeOffset(2026, 12, 3, 7, 30, 0, TimeSpan.Zero);
        var features = new Dictionary<string, FeatureValue>
        {
            ["hour"] = FeatureValue.FromNumber(2),
            ["device"] = FeatureValue.FromText("smart-tv"),
        };

        Assert.Equal("[2, 3)", SegmentKeys.Of("feature.hour", at, features, spec));
        Assert.Equal(SegmentKeys.For(null, at, features, spec).Single(s => s.Dimension == "feature.hour").Value, SegmentKeys.Of("feature.hour", at, features, spec));
        Assert.Equal("07", SegmentKeys.Of("hourOfDay", at, features, spec));
        Assert.Equal(SegmentKeys.Other, SegmentKeys.Of("feature.device", at, features, spec));
        Assert.Null(SegmentKeys.Of("feature.user_id", at, features, spec));
    }
}
