using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ModelOps.Inference.Cluster;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Rollouts.Engine;
using Npgsql;
using Xunit.Abstractions;

namespace ModelOps.Tests.Cluster;

/// <summary>
/// Two replicas (real child processes) on one PostgreSQL database, replica-b reaching it through a
/// <see cref="TcpForwarder"/> the test severs (connections reset and refused) or freezes (packets
/// dropped: connections hang): past <c>ModelOps:Cluster:DatabaseOutageSeconds</c>
/// replica-b serves the canary's rollback target only and says so, no request fails, and once the
/// link is back it follows the database's routing again (including what replica-a decided meanwhile).
/// </summary>
[Collection(ReplicaSet.Collection)]
public sealed class DegradedModeTests(ITestOutputHelper output)
{
    private const int OutageSeconds = 2;
    private const string Degraded = "modelops_cluster_degraded_routing{model=\"ctr-ranker\"} 1";
    private const string NotDegraded = "modelops_cluster_degraded_routing{model=\"ctr-ranker\"} 0";

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private bool _hanging;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Canary_ReplicaCutOffFromTheDatabase_ServesTheRollbackTargetUntilBackThenFollowsTheDatabase(bool hanging)
    {
        _hanging = hanging;
        await using var set = await ReplicaSet.CreateAsync();
        var server = new NpgsqlConnectionStringBuilder(set.Database);
        await using var link = TcpForwarder.Start(server.Host!, server.Port); // a connection string always names its host
        var a = await set.StartAsync("replica-a");
        var b = await set.StartAsync("replica-b", BehindLink(set, link));
        using var onA = await RolloutConsole.ConnectAsync(a);
        using var onB = await RolloutConsole.ConnectAsync(b);
        using var probe = new HttpClient { BaseAddress = b.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var reviewerOnB = await TwoReplicaRoutingTests.ClientAsync(b, "reviewer"); // a token needs the database: taken before the cut
        var id = await StartCanaryAsync(onA, onB);
        var traffic = new ReplicaTraffic(b.BaseAddress);
        using var stop = new CancellationTokenSource();
        var running = traffic.RunAsync(stop.Token);
        await traffic.DuringAsync("canary", TimeSpan.FromSeconds(2));

        // First spell: nothing changes meanwhile, so replica-b returns to the same canary.
        await CutOffUntilDegradedAsync(link, probe, traffic, "severed 1");
        await AssertSaysDegradedAsync(probe, reviewerOnB);
        await traffic.DuringAsync("degraded 1", TimeSpan.FromSeconds(2));
        await RestoreAsync(link, probe, traffic, "restoring 1");
        await traffic.DuringAsync("canary again", TimeSpan.FromSeconds(3));

        // Second spell: replica-a promotes the candidate while replica-b cannot hear of it.
        await CutOffUntilDegradedAsync(link, probe, traffic, "severed 2");
        var (promoted, body) = await onA.PromoteAsync(id, "promoted while replica-b is cut off");
        Assert.True(promoted == HttpStatusCode.OK, $"promote: {promoted} {body}");
        await traffic.DuringAsync("degraded 2", TimeSpan.FromSeconds(2));
        await RestoreAsync(link, probe, traffic, "restoring 2");
        Assert.Equal(RolloutConsole.Split(100), await onB.RoutingSettledAsync(RolloutConsole.Split(100)));
        await traffic.DuringAsync("promoted", TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await running;

        Log(traffic.Summary());
        Assert.Empty(traffic.Failures);
        Assert.Equal([2, 3], traffic.Versions("canary"));
        Assert.Equal([2], traffic.Versions("degraded 1"));
        Assert.Equal([2, 3], traffic.Versions("canary again"));
        Assert.Equal([2], traffic.Versions("degraded 2"));
        Assert.Equal([3], traffic.Versions("promoted"));
        var spells = await SpellsAsync(onA, id);
        Assert.Equal(2, spells.Count);
        Assert.All(spells, s => Assert.Equal("replica-b", s.GetProperty("details").GetProperty("instance").GetString()));
        await AssertLoggedAsync(set.Database, traffic.RequestIds);
    }

    [Fact]
    public async Task Spell_ReplicaKilledDuringIt_IsAuditedWithNoEndAfterItsNextStart()
    {
        await using var set = await ReplicaSet.CreateAsync();
        var server = new NpgsqlConnectionStringBuilder(set.Database);
        await using var link = TcpForwarder.Start(server.Host!, server.Port); // a connection string always names its host
        var data = Path.Combine(Path.GetTempPath(), "modelops-harness", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        try
        {
            var a = await set.StartAsync("replica-a");
            var b = await set.StartAsync("replica-b", BehindLink(set, link), data);
            using var onA = await RolloutConsole.ConnectAsync(a);
            using var onB = await RolloutConsole.ConnectAsync(b);
            using var probe = new HttpClient { BaseAddress = b.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            var id = await StartCanaryAsync(onA, onB);

            link.Sever();
            await WaitForMetricAsync(probe, Degraded, TimeSpan.FromSeconds(OutageSeconds + 20));
            var killedAt = DateTimeOffset.UtcNow;
            await b.KillAsync(); // during the spell: its row could not be written
            Log("replica-b killed while degraded");
            Assert.True(File.Exists(Path.Combine(data, DegradedRoutingAudit.FileName)), "the spell was not kept on disk");
            Assert.Empty(await SpellsAsync(onA, id));

            link.Restore();
            await set.StartAsync("replica-b", BehindLink(set, link), data);

            // Written after the restarted replica's first probe that gets through.
            var clock = Stopwatch.StartNew();
            IReadOnlyList<JsonElement> spells;
            while ((spells = await SpellsAsync(onA, id)).Count == 0
                && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(200);
            }

            var spell = Assert.Single(spells);
            var details = spell.GetProperty("details");
            Assert.Equal("replica-b", details.GetProperty("instance").GetString());
            Assert.True(details.GetProperty("from").GetDateTimeOffset() < killedAt);
            Assert.Equal(JsonValueKind.Null, details.GetProperty("to").ValueKind);
            Assert.Contains("until the replica stopped", details.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(data, DegradedRoutingAudit.FileName)), "an audited spell stays on disk");
            var verified = await onA.VerifyAuditAsync();
            Assert.True(verified.GetProperty("valid").GetBoolean(), $"audit chain: {verified}");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Replica-b's settings: the database through <paramref name="link"/>, and the test's outage threshold.</summary>
    private static Dictionary<string, string?> BehindLink(ReplicaSet set, TcpForwarder link) => new()
    {
        ["ConnectionStrings:ModelOps"] = new NpgsqlConnectionStringBuilder(set.Database) { Host = "127.0.0.1", Port = link.Port }.ConnectionString,
        ["ModelOps:Cluster:DatabaseOutageSeconds"] = $"{OutageSeconds}",
    };

    /// <summary>A canary at 50 % started on replica-a, live on replica-b and known to its watch.</summary>
    private static async Task<string> StartCanaryAsync(RolloutConsole onA, RolloutConsole onB)
    {
        var id = await onA.StartAsync(RolloutConsole.CanaryPlan(steps: [new { weight = 50.0, bakeSeconds = 600 }]));
        Assert.Equal(RolloutConsole.Split(50), await onB.RoutingSettledAsync(RolloutConsole.Split(50)));
        await Task.Delay(1500); // replica-b's watch reads the active rollouts every second
        return id;
    }

    /// <summary>The rollout's <c>cluster.degradedRouting</c> rows, oldest first.</summary>
    private static async Task<IReadOnlyList<JsonElement>> SpellsAsync(RolloutConsole console, string rolloutId) =>
        [.. (await console.AuditAsync(DegradedRoutingAudit.Action)).Where(r => r.GetProperty("target").GetString() == $"rollout:{rolloutId}")];

    /// <summary>Severs replica-b's link and waits for the degraded mode, which must not come before the threshold.</summary>
    private async Task CutOffUntilDegradedAsync(TcpForwarder link, HttpClient probe, ReplicaTraffic traffic, string phase)
    {
        traffic.Phase = phase;
        if (_hanging)
        {
            link.Freeze();
        }
        else
        {
            link.Sever();
        }

        var severed = Stopwatch.StartNew();
        var scrape = await WaitForMetricAsync(probe, Degraded, TimeSpan.FromSeconds(OutageSeconds + 20));
        var unreachable = UnreachableSeconds(scrape);
        Log($"{phase}{(_hanging ? " (frozen)" : "")}: degraded {severed.Elapsed.TotalSeconds:F1} s after the link was cut, {unreachable:F1} s after its last probe that got through");
        // The outage counts from the last probe that got through (on a loaded machine that may be
        // a little before the cut): never degraded before the threshold by the replica's own count.
        Assert.True(unreachable >= OutageSeconds, $"degraded after only {unreachable:F1} s without the database");
        traffic.Phase = phase.Replace("severed", "degraded", StringComparison.Ordinal);
    }

    private async Task RestoreAsync(TcpForwarder link, HttpClient probe, ReplicaTraffic traffic, string phase)
    {
        traffic.Phase = phase;
        if (_hanging)
        {
            link.Thaw();
        }
        else
        {
            link.Restore();
        }

        var restored = Stopwatch.StartNew();
        await WaitForMetricAsync(probe, NotDegraded, TimeSpan.FromSeconds(20));
        Log($"{phase}: following the database again {restored.Elapsed.TotalSeconds:F1} s after the link came back");
        using var ready = await probe.GetAsync(new Uri("/v2/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.False(ready.Headers.Contains("X-ModelOps-Degraded-Routing"));
        Assert.Contains("modelops_cluster_database_reachable 1", await probe.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
    }

    private static async Task AssertSaysDegradedAsync(HttpClient probe, HttpClient reviewer)
    {
        // The routing API shows the database's table, and says this replica serves another one.
        using var routing = await reviewer.GetAsync(new Uri("/api/models/ctr-ranker/routing", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, routing.StatusCode);
        Assert.Equal(["ctr-ranker"], routing.Headers.GetValues("X-ModelOps-Degraded-Routing"));

        using var ready = await probe.GetAsync(new Uri("/v2/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode); // it still answers, so the load balancer keeps it
        Assert.Equal(["ctr-ranker"], ready.Headers.GetValues("X-ModelOps-Degraded-Routing"));
        Assert.Equal(["unreachable"], ready.Headers.GetValues("X-ModelOps-Database"));
        var metrics = await probe.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("modelops_cluster_database_reachable 0", metrics, StringComparison.Ordinal);
        var (exit, problems) = await Promtool.CheckMetricsAsync(metrics);
        Assert.True(exit == 0, $"promtool check metrics: {problems}");
    }

    /// <summary>The first scrape of /metrics that has <paramref name="line"/>.</summary>
    private static async Task<string> WaitForMetricAsync(HttpClient probe, string line, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        string scrape;
        while (!(scrape = await probe.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Contains(line, StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < timeout, $"'{line}' not on /metrics within {timeout.TotalSeconds:F0} s");
            await Task.Delay(100);
        }

        return scrape;
    }

    private static double UnreachableSeconds(string scrape) => double.Parse(
        scrape.Split('\n').Single(l => l.StartsWith("modelops_cluster_database_unreachable_seconds ", StringComparison.Ordinal)).Split(' ')[1],
        System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every request replica-b answered, the outage's included, reaches the inference log once the database is back.</summary>
    private async Task AssertLoggedAsync(string database, IReadOnlyList<string> requestIds)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var clock = Stopwatch.StartNew();
        long logged;
        while (true)
        {
            await using var count = new NpgsqlCommand("""SELECT count(DISTINCT "RequestId") FROM "InferenceLog" WHERE "RequestId" = ANY(@ids)""", connection);
            count.Parameters.AddWithValue("ids", requestIds.ToArray());
            logged = (long)(await count.ExecuteScalarAsync())!; // count() is never null
            if (logged == requestIds.Count || clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                break;
            }

            await Task.Delay(200);
        }

        Log($"{logged} of {requestIds.Count} answered requests in the inference log");
        Assert.Equal(requestIds.Count, logged);
    }

    private void Log(string line) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s  {line}");
}
