using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelOps.Core.Cluster;
using ModelOps.Core.Divergence;
using ModelOps.Core.Persistence;
using ModelOps.Core.Persistence.Postgres;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Cluster;
using ModelOps.Inference.Serving.Metrics;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Cluster;

/// <summary>
/// Two replicas' metrics stores publishing to a real PostgreSQL database (the migrated schema) and
/// the judge's view reading them back: what one store would have measured of all the traffic.
/// </summary>
public sealed class ReplicaMetricsRoundTripTests : IAsyncLifetime
{
    private const string Model = "ctr-ranker";
    private static readonly long Second = 1_800_000_000;

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(Second).AddMilliseconds(100));
    private string _database = "";

    public async Task InitializeAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync("replicametrics");
        await using var db = new PostgresModelOpsDbContext(new DbContextOptionsBuilder<PostgresModelOpsDbContext>().UseNpgsql(_database).Options);
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync() => PostgresServer.DropDatabaseAsync(_database);

    [Fact]
    public async Task Measure_TwoReplicasPublished_CountsAndKpiAddAndSamplesFollowRequestShares()
    {
        var (a, publishA) = Replica("a");
        var (b, publishB) = Replica("b");
        a.Segments.Track(Model, "hourOfDay");
        b.Segments.Track(Model, "hourOfDay");
        Serve(a, 10, TimeSpan.FromMilliseconds(5), errorsEvery: 0);
        Serve(b, 30, TimeSpan.FromMilliseconds(50), errorsEvery: 10);
        a.RecordOutcome(Model, 2, Arm.Baseline, 1.0, segments: [new Segment("hourOfDay", "13")]);
        b.RecordOutcome(Model, 2, Arm.Baseline, 0.0, segments: [new Segment("hourOfDay", "13")]);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await publishA.FlushAsync(CancellationToken.None));
        Assert.Equal(1, await publishB.FlushAsync(CancellationToken.None));
        var judge = Judge(a);

        var to = judge.JudgeableBefore(_time.GetUtcNow());
        var measured = judge.Measure(Model, 2, Arm.Baseline, DateTimeOffset.FromUnixTimeSeconds(Second), to);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Second + 1), to);
        Assert.Equal((40, 3, 0), (measured.Requests, measured.Errors, measured.Timeouts));
        Assert.Equal((1.0, 1.0, 2L), (measured.KpiSum, measured.KpiSumSquares, measured.KpiCount));
        // Four samples per second, as one store keeps: b served three quarters of the requests.
        Assert.Equal([5.0, 50.0, 50.0, 50.0], measured.LatencySamplesMs.Order());
        Assert.Equal(new Core.Rollouts.Judging.ArmTally(2, 1.0, 1.0), measured.KpiBySegment!["hourOfDay"]["13"]); // tracked, so not null
    }

    [Fact]
    public async Task Measure_TwoReplicasPublished_FeatureBinsNullsAndScoreBinsAdd()
    {
        var (a, publishA) = Replica("a");
        var (b, publishB) = Replica("b");
        foreach (var store in new[] { a, b })
        {
            store.RegisterFeatureBins(Model, "hour", [0, 6, 12, 18, 24]);
        }

        // a: 10 requests at 03:00 scoring 0.12; b: 30 at 20:00 scoring 0.91, every third without the feature.
        ServeFeatures(a, 10, hour: _ => 3, score: 0.12);
        ServeFeatures(b, 30, hour: i => i % 3 == 0 ? null : 20, score: 0.91);
        _time.Advance(TimeSpan.FromSeconds(2));
        await publishA.FlushAsync(CancellationToken.None);
        await publishB.FlushAsync(CancellationToken.None);
        var judge = Judge(a);

        var measured = judge.Measure(Model, 2, Arm.Baseline, DateTimeOffset.FromUnixTimeSeconds(Second), judge.JudgeableBefore(_time.GetUtcNow()));

        var hour = measured.Features!["hour"];
        Assert.Equal((40L, 10L), (hour.Observations, hour.Nulls));
        Assert.Equal([10L, 0, 0, 20], hour.Bins);
        var scores = new long[ScoreHistogram.Bins];
        scores[ScoreHistogram.Bin(0.12)!.Value] = 10;
        scores[ScoreHistogram.Bin(0.91)!.Value] = 30;
        Assert.Equal(scores, measured.ScoreBins);
    }

    [Fact]
    public async Task Flush_SecondsServedFromADegradedOverride_AreLeftOutAndTheOthersPublished()
    {
        var overrides = new LocalRoutingOverride();
        var (a, publishA) = Replica("a", overrides);
        var rollout = new ActiveRolloutRoute("r-1", Model, CandidateVersion: 3, RollbackTarget: 2);
        var live = RoutingTable.Canary(Model, 2, 3, 50, 7).Value!;
        var degraded = DegradedRouting.Reroute(live, 3, 2)!;

        // Seconds S and S+1 on the canary; S+2..S+3 from the override (the database out of reach); S+4 back on the canary.
        for (var second = 0; second < 5; second++)
        {
            if (second == 2)
            {
                overrides.Replace(overrides.Routes.Add(Model, new DegradedServing(new DegradedRoute(rollout, degraded), _time.GetUtcNow())), _time.GetUtcNow());
            }
            else if (second == 4)
            {
                overrides.Replace(overrides.Routes.Clear(), _time.GetUtcNow().AddMilliseconds(-200)); // ended in the previous second
            }

            Serve(a, 10, TimeSpan.FromMilliseconds(5), errorsEvery: 0);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        await publishA.FlushAsync(CancellationToken.None);
        var judge = Judge(a);

        var to = judge.JudgeableBefore(_time.GetUtcNow());
        var measured = judge.Measure(Model, 2, Arm.Baseline, DateTimeOffset.FromUnixTimeSeconds(Second), to);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Second + 5), to);
        Assert.Equal(30, measured.Requests); // S, S+1 and S+4; not S+2 and S+3
        Assert.False(overrides.Served(Model, Second + 3)); // published past it: forgotten
    }

    [Fact]
    public async Task JudgeableBefore_OneReplicaBehind_StopsAtTheSecondsItPublished()
    {
        var (a, publishA) = Replica("a");
        var (_, publishB) = Replica("b");
        _time.Advance(TimeSpan.FromSeconds(2));
        await publishA.FlushAsync(CancellationToken.None);
        await publishB.FlushAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));
        await publishA.FlushAsync(CancellationToken.None);

        var to = Judge(a).JudgeableBefore(_time.GetUtcNow());

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Second + 1), to);
    }

    [Fact]
    public async Task TrackRegions_AskedOnTheJudge_OtherReplicaPublishesItsRegionSeries()
    {
        var (a, publishA) = Replica("a");
        var (b, publishB) = Replica("b");
        var judge = Judge(a);
        judge.TrackRegions(Model);
        await publishB.FlushAsync(CancellationToken.None);
        b.RecordServed(Model, 2, Arm.Baseline, TimeSpan.FromMilliseconds(7), RequestStatus.Ok, null, "eu-west");
        _time.Advance(TimeSpan.FromSeconds(2));
        await publishA.FlushAsync(CancellationToken.None);
        await publishB.FlushAsync(CancellationToken.None);

        var regional = judge.Measure(Model, 2, Arm.Baseline, DateTimeOffset.FromUnixTimeSeconds(Second), judge.JudgeableBefore(_time.GetUtcNow()), "eu-west");

        Assert.Equal(["eu-west"], judge.Regions(Model));
        Assert.Equal(1, regional.Requests);
    }

    private void Serve(ServingMetricsStore store, int requests, TimeSpan latency, int errorsEvery)
    {
        for (var i = 0; i < requests; i++)
        {
            store.RecordRequest(Model, 2, Arm.Baseline, latency, errorsEvery > 0 && i % errorsEvery == 0 ? RequestStatus.Error : RequestStatus.Ok);
        }
    }

    private static void ServeFeatures(ServingMetricsStore store, int requests, Func<int, double?> hour, double score)
    {
        for (var i = 0; i < requests; i++)
        {
            var features = new Dictionary<string, FeatureValue> { ["hour"] = hour(i) is { } h ? FeatureValue.FromNumber(h) : FeatureValue.Null };
            store.RecordServed(Model, 2, Arm.Baseline, TimeSpan.FromMilliseconds(5), RequestStatus.Ok, features, score: score);
        }
    }

    private (ServingMetricsStore Store, ReplicaMetricsPublisher Publisher) Replica(string name, LocalRoutingOverride? overrides = null)
    {
        var store = new ServingMetricsStore(Options.Create(new ServingMetricsOptions { LatencySamplesPerBucket = 4 }), _time, new Random(11));
        var publisher = new ReplicaMetricsPublisher(
            store, new ReplicaIdentity(name, Clustered: true), Database(), overrides ?? new LocalRoutingOverride(), _time, NullLogger<ReplicaMetricsPublisher>.Instance);
        return (store, publisher);
    }

    private ClusterMeasurements Judge(ServingMetricsStore store) => new(
        new StoreMeasurements(store, new RoutingTableHolder(_time)), store, Database(), Options.Create(new ClusterOptions()),
        new ReplicaJudging(), NullLogger<ClusterMeasurements>.Instance);

    private IOptions<DatabaseOptions> Database() => Options.Create(new DatabaseOptions { Provider = DatabaseOptions.Postgres, ConnectionString = _database });
}
