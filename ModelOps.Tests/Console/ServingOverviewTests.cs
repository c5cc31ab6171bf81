using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Caching;
using ModelOps.Inference.Serving.Metrics;
using ModelOps.Inference.Serving.Sessions;
using ModelOps.Web.Components.Pages.Serving;

namespace ModelOps.Tests.Console;

public sealed class ServingOverviewTests
{
    private const string Model = "pricing";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly ServingMetricsStore _metrics;

    public ServingOverviewTests() =>
        _metrics = new ServingMetricsStore(Options.Create(new ServingMetricsOptions()), _time, new Random(7));

    [Fact]
    public void Build_ArmWithTrafficInWindow_ComputesRateErrorRateAndKpi()
    {
        Record(ok: 30, errors: 6, timeouts: 4, outcomes: [1, 0, 1, 0]);
        _time.Advance(TimeSpan.FromSeconds(1));

        var arm = Assert.Single(Assert.Single(Build()).Versions.Single().Arms);

        Assert.Equal(Arm.Baseline, arm.Arm);
        Assert.Equal(40 / 60.0, arm.RequestsPerSecond, precision: 9);
        Assert.Equal("0.7", arm.RateText);
        Assert.Equal(25.0, arm.ErrorPercent);
        Assert.Equal("25.0 %", arm.ErrorRateText);
        Assert.Equal("0.500", arm.KpiText);
        Assert.NotNull(arm.LatencyP95Ms);
    }

    [Fact]
    public void Build_NoOutcomesRecorded_ShowsDashForKpi()
    {
        Record(ok: 5, errors: 0, timeouts: 0, outcomes: []);
        _time.Advance(TimeSpan.FromSeconds(1));

        var arm = Build().Single().Versions.Single().Arms.Single();

        Assert.Null(arm.Kpi);
        Assert.Equal("—", arm.KpiText);
    }

    [Fact]
    public void Build_TrafficOlderThanWindow_CountsAsNoRequests()
    {
        Record(ok: 10, errors: 1, timeouts: 0, outcomes: [1]);
        _time.Advance(ServingOverview.Window + TimeSpan.FromSeconds(1));

        var arm = Build().Single().Versions.Single().Arms.Single();

        Assert.Equal(0, arm.RequestsPerSecond);
        Assert.Equal("—", arm.ErrorRateText);
        Assert.Equal("—", arm.LatencyP95Text);
    }

    [Fact]
    public void Build_CanaryWithRegionAndShadow_ListsWeightsRolesAndMirror()
    {
        var table = RoutingTable.Create(
            Model,
            generation: 4,
            [new RouteWeight(1, 90), new RouteWeight(2, 10)],
            new Dictionary<string, IReadOnlyList<RouteWeight>> { ["eu"] = [new RouteWeight(1, 100)] },
            new ShadowMirror(3, 0.05),
            baselineVersion: 1,
            candidateVersion: 2).Value!; // a valid split by construction

        var view = Assert.Single(Build(tables: ImmutableDictionary<string, RoutingTable>.Empty.Add(Model, table)));

        var routing = view.Routing!; // a table was given
        Assert.Equal(4, routing.Generation);
        Assert.Equal(["v1 → 90 %", "v2 → 10 %"], routing.DefaultWeights);
        Assert.Equal("v1 → 100 %", Assert.Single(routing.RegionOverrides, r => r.Key == "eu").Value);
        Assert.Equal("v3 · 5 %", routing.Shadow);
        Assert.Equal([1, 2, 3], view.Versions.Select(v => v.Version));
        Assert.Equal(["90 %", "10 %", null], view.Versions.Select(v => v.DefaultWeight));
        Assert.Equal(["baseline", "candidate", "shadow"], view.Versions.Select(v => string.Join(",", v.Roles)));
    }

    [Fact]
    public void Build_LoadedVersionWithoutTable_ListsItsSessionAndNoRouting()
    {
        var session = new SessionState(Model, 5, "sha256:ab", null, SessionHealth.Retired, null, _time.GetUtcNow(), null, 0, false, _time.GetUtcNow().AddSeconds(30));

        var view = Assert.Single(Build(sessions: [session]));

        Assert.Null(view.Routing);
        Assert.Equal(SessionHealth.Retired, Assert.Single(view.Versions).Session!.Health);
    }

    [Fact]
    public void Build_CacheOnForModel_ShowsHitsOverLookups()
    {
        var cache = new PredictionCache(Options.Create(new PredictionCacheOptions { Models = [Model] }));
        cache.TryGet(Model, 1, "sha-a", null, [1f], out _);
        cache.Set(Model, 1, "sha-a", null, [1f], [0.5f]);
        cache.TryGet(Model, 1, "sha-a", null, [1f], out _);
        cache.TryGet(Model, 1, "sha-a", null, [1f], out _);
        Record(ok: 1, errors: 0, timeouts: 0, outcomes: []);

        var row = Build(cache: cache).Single().Versions.Single();

        Assert.Equal("66.67 %", row.CacheHitRate);
    }

    [Fact]
    public void Build_CacheOffForModel_ShowsOff()
    {
        var cache = new PredictionCache(Options.Create(new PredictionCacheOptions { Models = ["other"] }));
        Record(ok: 1, errors: 0, timeouts: 0, outcomes: []);

        var row = Build(cache: cache).Single().Versions.Single();

        Assert.Equal("off", row.CacheHitRate);
    }

    [Fact]
    public void RateHistory_TrafficInOneStep_GivesThirtyPointsWithTheRateOnlyInThatStep()
    {
        _time.SetUtcNow(new DateTimeOffset(2026, 11, 23, 12, 0, 3, TimeSpan.Zero));
        Record(ok: 20, errors: 0, timeouts: 0, outcomes: []);
        _time.Advance(TimeSpan.FromSeconds(10));
        _metrics.RecordRequest(Model, 2, Arm.Candidate, TimeSpan.FromMilliseconds(4), RequestStatus.Ok);
        _time.Advance(TimeSpan.FromSeconds(25));

        var series = ServingOverview.RateHistory(_metrics, Model, _time.GetUtcNow());

        Assert.Equal([1, 2], series.Select(s => s.Version));
        var v1 = series[0];
        Assert.Equal(ServingOverview.HistoryPoints, v1.RequestsPerSecond.Count);
        Assert.Equal(0, v1.SecondsAgo[^1]);
        Assert.Equal(-290, v1.SecondsAgo[0]);
        // Now is 12:00:38, so the last step is [12:00:20, 12:00:30); 12:00:03 lies two steps earlier.
        Assert.Equal(2.0, v1.RequestsPerSecond[^3]);
        Assert.Equal(2.0, v1.RequestsPerSecond.Sum());
        Assert.Equal(0.1, series[1].RequestsPerSecond[^2]);
    }

    private void Record(int ok, int errors, int timeouts, IReadOnlyList<double> outcomes)
    {
        for (var i = 0; i < ok; i++)
        {
            _metrics.RecordRequest(Model, 1, Arm.Baseline, TimeSpan.FromMilliseconds(10 + i), RequestStatus.Ok);
        }

        for (var i = 0; i < errors; i++)
        {
            _metrics.RecordRequest(Model, 1, Arm.Baseline, TimeSpan.FromMilliseconds(50), RequestStatus.Error);
        }

        for (var i = 0; i < timeouts; i++)
        {
            _metrics.RecordRequest(Model, 1, Arm.Baseline, TimeSpan.FromMilliseconds(500), RequestStatus.Timeout);
        }

        foreach (var outcome in outcomes)
        {
            _metrics.RecordOutcome(Model, 1, Arm.Baseline, outcome);
        }
    }

    private IReadOnlyList<ServedModelView> Build(
        ImmutableDictionary<string, RoutingTable>? tables = null,
        IReadOnlyList<SessionState>? sessions = null,
        PredictionCache? cache = null)
    {
        cache ??= new PredictionCache(Options.Create(new PredictionCacheOptions()));
        return ServingOverview.Build(tables ?? ImmutableDictionary<string, RoutingTable>.Empty, sessions ?? [], _metrics, cache.Stats(), cache.IsEnabled, _time.GetUtcNow());
    }
}
