using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Tests.Rollouts.Engine;
using Npgsql;
using Xunit.Abstractions;

namespace ModelOps.Tests.Cluster;

/// <summary>
/// Two replicas (real child processes) on one PostgreSQL database, one rollout between them: its
/// Quartz job runs on one replica at a time, one decision is made and applied on both, and when
/// the replica running the job is SIGKILLed the other takes the job over and finishes.
/// </summary>
[Collection(ReplicaSet.Collection)]
public sealed class TwoReplicaRolloutTests(ITestOutputHelper output)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task Canary_CandidateSlowedOnBothReplicas_IsRolledBackOnceWithOneAuditRowAndOneIncident()
    {
        await using var set = await ReplicaSet.CreateAsync();
        var a = await set.StartAsync("replica-a");
        var b = await set.StartAsync("replica-b");
        using var onA = await RolloutConsole.ConnectAsync(a);
        using var onB = await RolloutConsole.ConnectAsync(b);
        var id = await onA.StartAsync(SlowCandidatePlan());
        foreach (var replica in new[] { a, b })
        {
            using var @operator = await TwoReplicaRoutingTests.ClientAsync(replica, "operator");
            using var chaos = await @operator.PostAsJsonAsync("/api/chaos", new { model = RolloutConsole.Model, version = 3, addedLatencyMs = 40 });
            Assert.Equal(HttpStatusCode.OK, chaos.StatusCode);
        }

        using (var stop = new CancellationTokenSource())
        {
            var traffic = Task.WhenAll(onA.DriveTrafficAsync(2, stop.Token), onB.DriveTrafficAsync(2, stop.Token));
            await onB.WaitForAsync(id, r => r.GetProperty("state").GetString() == "rolledBack", TimeSpan.FromSeconds(120), "the slowed candidate rolled back");
            await stop.CancelAsync();
            Log($"rolled back; {(await traffic).Sum(t => t.Count)} predictions served by both");
        }

        Assert.Equal(RolloutConsole.Split(0), await onA.RoutingSettledAsync(RolloutConsole.Split(0)));
        Assert.Equal(RolloutConsole.Split(0), await onB.RoutingSettledAsync(RolloutConsole.Split(0)));
        Assert.Equal(["rollout.started", "rollout.rolledBack"], await onB.RolloutActionsAsync(id));
        Assert.Single(await onA.RoutingChangesAsync($"rollback of {id}"));
        Assert.Single(await onB.IncidentsOfAsync(id));
        var verified = await onB.VerifyAuditAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), $"audit chain: {verified}");
    }

    [Fact]
    public async Task StagedRollback_ReplicaRunningItsJobKilled_OtherReplicaTakesTheJobOverAndFinishes()
    {
        const int HoldSeconds = 15;
        await using var set = await ReplicaSet.CreateAsync();
        var replicas = new[] { await set.StartAsync("replica-a"), await set.StartAsync("replica-b") };
        using var onA = await RolloutConsole.ConnectAsync(replicas[0]);
        var id = await onA.StartAsync(RolloutConsole.CanaryPlan(
            steps: [new { weight = 50.0, bakeSeconds = 600 }],
            rollback: new { mode = "staged", steps = new[] { new { weight = 25.0, holdSeconds = HoldSeconds }, new { weight = 0.0, holdSeconds = 0 } } }));
        var (status, _) = await onA.RollBackAsync(id, "two-replica test: staged rollback");
        Assert.Equal(HttpStatusCode.OK, status);

        var evaluator = await EvaluatingReplicaAsync(set.Database, id, TimeSpan.FromSeconds(20));
        var victim = replicas[evaluator == "replica-a" ? 0 : 1];
        var survivor = replicas.Single(r => r != victim);
        await victim.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        var failover = Stopwatch.StartNew();
        Log($"SIGKILL {evaluator}, which held the rollout's job");

        using var onSurvivor = await RolloutConsole.ConnectAsync(survivor);
        // Seconds past the kill are judged once the survivor has the job and the victim counts as
        // silent (ModelOps:Cluster:MetricsSilentSeconds, 10 s): until then its last watermark caps every look.
        await onSurvivor.WaitForAsync(
            id, r => r.GetProperty("evaluatedAt") is { ValueKind: JsonValueKind.String } at && at.GetDateTimeOffset() > killedAt, TimeSpan.FromSeconds(30), "a look by the survivor");
        Log($"the survivor judged seconds past the kill {failover.Elapsed.TotalSeconds:F1} s after it");
        await onSurvivor.WaitForAsync(id, r => r.GetProperty("state").GetString() == "rolledBack", TimeSpan.FromSeconds(HoldSeconds + 30), "the survivor finished the rollback");

        Assert.Equal(RolloutConsole.Split(0), await onSurvivor.RoutingSettledAsync(RolloutConsole.Split(0)));
        Assert.Equal(["rollout.started", "rollout.rollingBack", "rollout.rolledBack"], await onSurvivor.RolloutActionsAsync(id));
        Assert.Single(await onSurvivor.RoutingChangesAsync($"rollback of {id}"));
        Assert.Single(await onSurvivor.IncidentsOfAsync(id));
        var verified = await onSurvivor.VerifyAuditAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), $"audit chain: {verified}");
    }

    /// <summary>A canary of v3 at 50 % judged on p95 latency (hard): a candidate slowed by chaos fails it.</summary>
    internal static object SlowCandidatePlan() => new
    {
        model = RolloutConsole.Model,
        candidateVersion = 3,
        owner = "ml-platform",
        strategy = "canary",
        steps = new[] { new { weight = 50.0, bakeSeconds = 600 } },
        guardrails = new object[] { new { metric = "latency_p95", threshold = 0.2, windowSeconds = 60, sustainSeconds = 2, severity = "hard" } },
    };

    /// <summary>The instance whose scheduler is running (or has acquired) the rollout's job, read from Quartz's own table.</summary>
    internal static async Task<string> EvaluatingReplicaAsync(string database, string rolloutId, TimeSpan timeout)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using var query = new NpgsqlCommand("SELECT instance_name FROM qrtz_fired_triggers WHERE job_name = @job ORDER BY state = 'EXECUTING' DESC LIMIT 1", connection);
            query.Parameters.AddWithValue("job", $"rollout-{rolloutId}");
            if (await query.ExecuteScalarAsync() is string instance)
            {
                return instance;
            }

            Assert.True(clock.Elapsed < timeout, $"no replica fired rollout-{rolloutId}'s job within {timeout.TotalSeconds:F0} s");
            await Task.Delay(5);
        }
    }

    private void Log(string line) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s  {line}");
}
