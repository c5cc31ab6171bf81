using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Metrics;

namespace ModelOps.Tests.Serving.Metrics;

public sealed partial class ServingMetricsStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Query_ContinuousOutcomesAndFallbacks_KeepsSumOfSquaresAndCountsFallbacksApart()
    {
        var store = NewStore(horizonSeconds: 60);
        var start = _time.GetUtcNow();
        store.RecordRequest("m", 3, Arm.Candidate, TimeSpan.FromMilliseconds(5), RequestStatus.Fallback);
        store.RecordRequest("m", 3, Arm.Candidate, TimeSpan.FromMilliseconds(5), RequestStatus.Ok);
        foreach (var outcome in new[] { 2.0, 3.0, -1.5 })
        {
            store.RecordOutcome("m", 3, Arm.Candidate, outcome);
        }

        var window = store.Query("m", 3, Arm.Candidate, start, start.AddSeconds(1));

        Assert.Equal((2, 1, 0, 0), (window.Requests, window.Fallbacks, window.Errors, window.Timeouts));
        Assert.Equal((3, 3.5, 15.25), (window.KpiCount, window.KpiSum, window.KpiSumSquares));
    }

    [Fact]
    public void Query_ModelTrackedByRegion_KeepsEachRegionApartAndCountsEveryRequestOnceInTheTotals()
    {
        var store = NewStore(horizonSeconds: 60);
        var start = _time.GetUtcNow();
        store.RecordServed("m", 3, Arm.Candidate, TimeSpan.FromMilliseconds(5), RequestStatus.Ok, null, "eu"); // before tracking: pooled only
        store.TrackRegions("m");
        store.RecordServed("m", 3, Arm.Candidate, TimeSpan.FromMilliseconds(5), RequestStatus.Ok, null, "eu");
        store.RecordServed("m", 3, Arm.Candidate, TimeSpan.FromMilliseconds(9), RequestStatus.Error, null, "us");
        store.RecordServed("m", 3, Arm.Candidate, TimeSpan.FromMilliseconds(9), RequestStatus.Ok, null, null);
        store.RecordServed("other", 1, Arm.Candidate, TimeSpan.FromMilliseconds(9), RequestStatus.Ok, null, "eu");
        store.RecordOutcome("m", 3, Arm.Candidate, 1, "us");

        var end = start.AddSeconds(1);
        var pooled = store.Query("m", 3, Arm.Candidate, start, end);
        var eu = store.Query(new ServingSeriesKey("m", 3, Arm.Candidate, "eu"), start, end);
        var us = store.Query(new ServingSeriesKey("m", 3, Arm.Candidate, "us"), start, end);

        Assert.Equal((4, 1, 1), (pooled.Requests, pooled.Errors, pooled.KpiCount));
        Assert.Equal((1, 0, 0), (eu.Requests, eu.Errors, eu.KpiCount));
        Assert.Equal((1, 1, 1), (us.Requests, us.Errors, us.KpiCount));
        Assert.Equal(["eu", "us"], store.Regions("m"));
        Assert.Empty(store.Regions("other"));
        Assert.DoesNotContain(store.Keys(), k => k.Region is not null);
        Assert.Equal(4, store.Totals().Where(t => t.Key.Model == "m").Sum(t => t.Ok + t.Errors + t.Timeouts + t.Fallbacks));
    }

    [Fact]
    public void Query_WindowOverSeveralSeconds_SumsExactly()
    {
        var store = NewStore(horizonSeconds: 60);
        var start = _time.GetUtcNow();
        for (var second = 0; second < 10; second++)
        {
            store.RecordRequest("m", 2, Arm.Candidate, TimeSpan.FromMilliseconds(10), RequestStatus.Ok);
            store.RecordRequest("m", 2, Arm.Candidate, TimeSpan.FromMilliseconds(20), second % 2 == 0 ? RequestStatus.Error : RequestStatus.Timeout);
            store.RecordOutcome("m", 2, Arm.Candidate, 1);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var window = store.Query("m", 2, Arm.Candidate, start.AddSeconds(2), start.AddSeconds(7));

        Assert.Equal(10, window.Requests);
        Assert.Equal(3, window.Errors);
        Assert.Equal(2, window.Timeouts);
        Assert.Equal(5, window.KpiCount);
        Assert.Equal(10, window.LatencySamplesMs.Count);
        Assert.InRange(window.LatencyP99Ms!.Value, 20 * (1 - LatencyHistogram.MaxRelativeError), 20 * (1 + LatencyHistogram.MaxRelativeError));
    }

    [Fact]
    public void Query_BucketsOlderThanHorizon_CountAsEmpty()
    {
        var store = NewStore(horizonSeconds: 30);
        var start = _time.GetUtcNow();
        store.RecordRequest("m", 1, Arm.Baseline, TimeSpan.FromMilliseconds(5), RequestStatus.Ok);

        _time.Advance(TimeSpan.FromSeconds(31));
        var window = store.Query("m", 1, Arm.Baseline, start, _time.GetUtcNow());

        Assert.Equal(0, window.Requests);
        Assert.Null(window.LatencyP95Ms);
        Assert.Empty(store.Keys());
    }

    [Fact]
    public void Query_SeriesAreSeparatedByVersionAndArm()
    {
        var store = NewStore(horizonSeconds: 60);
        var start = _time.GetUtcNow();
        store.RecordRequest("m", 1, Arm.Baseline, TimeSpan.FromMilliseconds(5), RequestStatus.Ok);
        store.RecordRequest("m", 2, Arm.Candidate, TimeSpan.FromMilliseconds(5), RequestStatus.Ok);
        store.RecordRequest("m", 2, Arm.Shadow, TimeSpan.FromMilliseconds(5), RequestStatus.Ok);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, store.Query("m", 2, Arm.Candidate, start, _time.GetUtcNow()).Requests);
        Assert.Equal(3, store.Keys().Count);
    }

    [Fact]
    public void RecordFeatures_NumericAndCategorical_BinsAndCounts()
    {
        var store = NewStore(horizonSeconds: 60);
        store.RegisterFeatureBins("m", "hour", [double.NegativeInfinity, 6, 12, 18, double.PositiveInfinity]);
        var start = _time.GetUtcNow();

        store.RecordFeatures("m", 1, Arm.Baseline, [new("hour", 3, null), new("device", null, "mobile")]);
        store.RecordFeatures("m", 1, Arm.Baseline, [new("hour", 20, null), new("device", null, null)]);
        _time.Advance(TimeSpan.FromSeconds(1));

        var features = store.Query("m", 1, Arm.Baseline, start, _time.GetUtcNow()).Features;
        Assert.Equal([1L, 0, 0, 1], features["hour"].BinCounts);
        Assert.Equal(1, features["device"].NullCount);
        Assert.Equal(1, features["device"].CategoryCounts["mobile"]);
    }

    [Fact]
    public void Prometheus_Exposition_FollowsTextFormatRules()
    {
        var store = NewStore(horizonSeconds: 60);
        store.RecordRequest("ctr \"ranker\"", 2, Arm.Candidate, TimeSpan.FromMilliseconds(3), RequestStatus.Ok);
        store.RecordRequest("ctr \"ranker\"", 2, Arm.Candidate, TimeSpan.FromMilliseconds(300), RequestStatus.Error);
        store.RecordOutcome("ctr \"ranker\"", 2, Arm.Candidate, 1);

        var text = PrometheusTextWriter.Write(store.Totals());

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => Assert.Matches(LineRule(), line));
        Assert.Contains("modelops_inference_requests_total{model=\"ctr \\\"ranker\\\"\",version=\"2\",arm=\"candidate\",status=\"error\"} 1", lines);
        Assert.Contains("modelops_inference_latency_seconds_bucket{model=\"ctr \\\"ranker\\\"\",version=\"2\",arm=\"candidate\",le=\"0.005\"} 1", lines);
        Assert.Contains("modelops_inference_latency_seconds_bucket{model=\"ctr \\\"ranker\\\"\",version=\"2\",arm=\"candidate\",le=\"+Inf\"} 2", lines);
        var types = lines.Where(l => l.StartsWith("# TYPE", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToList();
        Assert.Equal(types.Distinct().Count(), types.Count);
        Assert.All(types.Where(t => lines.Contains($"# TYPE {t} counter")), t => Assert.EndsWith("_total", t, StringComparison.Ordinal));
    }

    [GeneratedRegex("""^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+\{([a-z]+="([^"\\]|\\.)*",?)+\} [0-9.eE+-]+)$""")]
    private static partial Regex LineRule();

    private ServingMetricsStore NewStore(int horizonSeconds) =>
        new(Options.Create(new ServingMetricsOptions { HorizonSeconds = horizonSeconds, LatencySamplesPerBucket = 16 }), _time, new Random(7));
}
