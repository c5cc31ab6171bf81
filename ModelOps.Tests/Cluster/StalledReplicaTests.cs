using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Core.Audit;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Rollouts.Engine;
using Npgsql;
using Xunit.Abstractions;

namespace ModelOps.Tests.Cluster;

/// <summary>
/// A replica stopped with SIGSTOP (as a long GC pause or a frozen VM stops it) at a chosen point,
/// found through its sessions in <c>pg_stat_activity</c> (each replica connects under its own
/// <c>Application Name</c>): waking after another replica took its work over, it cannot act on the
/// state it read before (the concurrency token is the fence, not Quartz's ownership); stopped
/// inside a transaction, it cannot hold the cluster's locks for longer than
/// <c>ModelOps:Database:IdleInTransactionTimeoutSeconds</c>.
/// </summary>
[Collection(ReplicaSet.Collection)]
public sealed class StalledReplicaTests(ITestOutputHelper output)
{
    private const string DroppedLook = "was decided elsewhere since this look read it";

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task Look_StalledBetweenReadingTheRolloutAndStoringIt_IsDroppedAfterTheOtherReplicaRolledBack()
    {
        await using var set = await ReplicaSet.CreateAsync();
        var replicas = new Dictionary<string, WebAppProcess>(StringComparer.Ordinal);
        foreach (var name in new[] { "replica-a", "replica-b" })
        {
            // Low enough that S, stopped inside any other transaction of its own (Quartz's, a metrics flush), delays T by seconds only.
            replicas[name] = await StartAsync(set, name, idleInTransactionSeconds: 5);
        }

        using var onA = await RolloutConsole.ConnectAsync(replicas["replica-a"]);
        var started = DateTimeOffset.UtcNow;
        var id = await onA.StartAsync(TwoReplicaRolloutTests.SlowCandidatePlan());

        // Hold every read of the rollout at the table lock until the evaluating replica's look is the one waiting, stop it there, then let the read be answered.
        string stalledName;
        await using (var locker = new NpgsqlConnection(set.Database))
        {
            await locker.OpenAsync();
            await using var transaction = await locker.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand("""LOCK TABLE "Rollout" IN ACCESS EXCLUSIVE MODE""", locker, transaction))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            string query;
            (stalledName, query) = await BlockedLookAsync(set.Database, id, TimeSpan.FromSeconds(20));
            Log($"{stalledName}'s look waits on the table lock: {query}");
            await replicas[stalledName].SuspendAsync();
            await transaction.CommitAsync();
        }

        var stalled = replicas[stalledName];
        var taker = replicas.Single(r => r.Key != stalledName).Value;
        Log($"SIGSTOP {stalledName}; lock released, its read answered into its socket");
        using var onTaker = await RolloutConsole.ConnectAsync(taker);
        using (var @operator = await TwoReplicaRoutingTests.ClientAsync(taker, "operator"))
        {
            using var chaos = await @operator.PostAsJsonAsync("/api/chaos", new { model = RolloutConsole.Model, version = 3, addedLatencyMs = 40 });
            Assert.Equal(HttpStatusCode.OK, chaos.StatusCode);
        }

        using (var stop = new CancellationTokenSource())
        {
            var traffic = onTaker.DriveTrafficAsync(2, stop.Token);
            await onTaker.WaitForAsync(id, r => r.GetProperty("state").GetString() == "rolledBack", TimeSpan.FromSeconds(90), "the other replica rolled the canary back");
            await stop.CancelAsync();
            Log($"rolled back by the other replica; {(await traffic).Count} predictions served by it");
        }

        var decided = await StoredLookAsync(set.Database, id);
        // Past the step window's grace the stale look judges whatever split is live on S, so it
        // reaches the store however fast S's routing catches up on waking (StepWindow.Grace).
        var grace = started + StepWindow.Grace + TimeSpan.FromSeconds(1) - DateTimeOffset.UtcNow;
        if (grace > TimeSpan.Zero)
        {
            await Task.Delay(grace);
        }

        await stalled.ResumeAsync();
        Log($"SIGCONT {stalledName}");
        var stored = await LookFinishedAsync(stalled, set.Database, id, decided, TimeSpan.FromSeconds(20));
        Log($"{stalledName}'s stale look finished");
        using var onStalled = await RolloutConsole.ConnectAsync(stalled);

        Assert.Equal(decided, stored);
        Assert.Contains(DroppedLook, stalled.RecentOutput(), StringComparison.Ordinal);
        Assert.Equal("rolledBack", (await onStalled.RolloutAsync(id)).GetProperty("state").GetString());
        Assert.Equal(RolloutConsole.Split(0), await onTaker.RoutingSettledAsync(RolloutConsole.Split(0)));
        Assert.Equal(RolloutConsole.Split(0), await onStalled.RoutingSettledAsync(RolloutConsole.Split(0)));
        Assert.Equal(["rollout.started", "rollout.rolledBack"], await onStalled.RolloutActionsAsync(id));
        Assert.Single(await onStalled.RoutingChangesAsync($"rollback of {id}"));
        Assert.Single(await onStalled.IncidentsOfAsync(id));
        var verified = await onStalled.VerifyAuditAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), $"audit chain: {verified}");
    }

    [Fact]
    public async Task AuditedChange_ReplicaStoppedHoldingTheAuditLock_OtherReplicaProceedsOnceTheServerEndsTheIdleTransaction()
    {
        await using var set = await ReplicaSet.CreateAsync();
        var stalled = await StartAsync(set, "replica-a", idleInTransactionSeconds: 3);
        var taker = await StartAsync(set, "replica-b", idleInTransactionSeconds: 3);
        using var operatorOnStalled = await TwoReplicaRoutingTests.ClientAsync(stalled, "operator");
        using var operatorOnTaker = await TwoReplicaRoutingTests.ClientAsync(taker, "operator");
        using var onTaker = await RolloutConsole.ConnectAsync(taker);

        Task<HttpResponseMessage> stalledCall;
        await using (var holder = new NpgsqlConnection(set.Database))
        {
            await holder.OpenAsync();
            await AdvisoryAsync(holder, "pg_advisory_lock");
            stalledCall = operatorOnStalled.PostAsJsonAsync("/api/chaos", Fault(addedLatencyMs: 11));
            await WaitForSessionAsync(set.Database, "replica-a", "wait_event_type = 'Lock' AND wait_event = 'advisory'", TimeSpan.FromSeconds(20));
            await stalled.SuspendAsync();
            await AdvisoryAsync(holder, "pg_advisory_unlock");
        }

        Log("SIGSTOP replica-a while its audited change waited on the audit lock; the lock released to it");
        var takerClock = Stopwatch.StartNew();
        using (var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            using var takerCall = await operatorOnTaker.PostAsJsonAsync("/api/chaos", Fault(addedLatencyMs: 22), bound.Token);
            Assert.Equal(HttpStatusCode.OK, takerCall.StatusCode);
        }

        Log($"replica-b's audited change answered after {takerClock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal([22], await ChaosLatenciesAsync(onTaker));

        await stalled.ResumeAsync();
        using var stalledAnswer = await stalledCall.WaitAsync(TimeSpan.FromSeconds(30));
        var body = await stalledAnswer.Content.ReadAsStringAsync();
        Log($"SIGCONT replica-a: its call answered {(int)stalledAnswer.StatusCode} {stalledAnswer.Content.Headers.ContentType}: {body}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, stalledAnswer.StatusCode);
        Assert.Equal("application/problem+json", stalledAnswer.Content.Headers.ContentType?.MediaType);
        Assert.Contains("IdleInTransactionTimeoutSeconds", body, StringComparison.Ordinal);

        await stalled.WaitReadyAsync(TimeSpan.FromSeconds(15));
        using (var again = await operatorOnStalled.PostAsJsonAsync("/api/chaos", Fault(addedLatencyMs: 33)))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        Assert.Equal([22, 33], await ChaosLatenciesAsync(onTaker));
        var verified = await onTaker.VerifyAuditAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), $"audit chain: {verified}");
    }

    private static object Fault(int addedLatencyMs) => new { model = RolloutConsole.Model, version = 3, addedLatencyMs };

    private static Task<WebAppProcess> StartAsync(ReplicaSet set, string name, int idleInTransactionSeconds) => set.StartAsync(name, new Dictionary<string, string?>
    {
        // Its sessions tell apart in pg_stat_activity.
        ["ConnectionStrings:ModelOps"] = new NpgsqlConnectionStringBuilder(set.Database) { ApplicationName = name }.ConnectionString,
        ["ModelOps:Database:IdleInTransactionTimeoutSeconds"] = $"{idleInTransactionSeconds}",
        // The judge waits this long for the stopped replica's buckets before judging without them.
        ["ModelOps:Cluster:MetricsSilentSeconds"] = "3",
    });

    /// <summary>
    /// The replica whose look at <paramref name="rolloutId"/> (the evaluator's read of the rollout
    /// by id) waits on a lock while that replica runs the rollout's job, and the SQL it waits in.
    /// </summary>
    private static async Task<(string Replica, string Query)> BlockedLookAsync(string database, string rolloutId, TimeSpan timeout)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using var read = new NpgsqlCommand("""
                SELECT a.application_name, a.query FROM pg_stat_activity a
                WHERE a.datname = current_database() AND a.wait_event_type = 'Lock'
                  AND a.query LIKE 'SELECT %FROM "Rollout" AS r%WHERE r."Id" = $1%LIMIT 2'
                  AND EXISTS (SELECT 1 FROM qrtz_fired_triggers f WHERE f.job_name = @job AND f.state = 'EXECUTING' AND f.instance_name = a.application_name)
                """, connection);
            read.Parameters.AddWithValue("job", $"rollout-{rolloutId}");
            await using (var rows = await read.ExecuteReaderAsync())
            {
                if (await rows.ReadAsync())
                {
                    return (rows.GetString(0), rows.GetString(1));
                }
            }

            Assert.True(clock.Elapsed < timeout, $"no replica's look at {rolloutId} waited on the lock within {timeout.TotalSeconds:F0} s; waiting: {await WaitingAsync(connection)}");
            await Task.Delay(5);
        }
    }

    private static async Task<string> WaitingAsync(NpgsqlConnection connection)
    {
        await using var read = new NpgsqlCommand("SELECT string_agg(application_name || ': ' || query, ' | ') FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return await read.ExecuteScalarAsync() as string ?? "none";
    }

    private static async Task WaitForSessionAsync(string database, string replica, string condition, TimeSpan timeout)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using var read = new NpgsqlCommand($"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = @replica AND {condition}", connection);
            read.Parameters.AddWithValue("replica", replica);
            if ((long)(await read.ExecuteScalarAsync())! > 0) // count(*) is never null
            {
                return;
            }

            Assert.True(clock.Elapsed < timeout, $"no session of {replica} with {condition} within {timeout.TotalSeconds:F0} s; waiting: {await WaitingAsync(connection)}");
            await Task.Delay(5);
        }
    }

    /// <summary>The rollout's stored state, judge state and time of its last look, straight from the table.</summary>
    private static async Task<string> StoredLookAsync(string database, string rolloutId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("""SELECT "State" || ' ' || coalesce("EvaluatedAt"::text, '-') || ' ' || coalesce("JudgeJson", '-') FROM "Rollout" WHERE "Id" = @id""", connection);
        read.Parameters.AddWithValue("id", rolloutId);
        return (string)(await read.ExecuteScalarAsync())!; // the rollout exists: the test started it
    }

    private static async Task AdvisoryAsync(NpgsqlConnection connection, string function)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}(@key)", connection);
        command.Parameters.AddWithValue("key", AuditChainLock.Key);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<IReadOnlyList<int>> ChaosLatenciesAsync(RolloutConsole console) =>
        [.. (await console.AuditAsync("chaos.set")).Select(r => r.GetProperty("details").GetProperty("addedLatencyMs").GetInt32())];

    /// <summary>
    /// Once the woken replica's look is over — it logged that it dropped the look, or the stored
    /// look moved from <paramref name="decided"/> (the fence failed) — the stored look.
    /// </summary>
    private static async Task<string> LookFinishedAsync(WebAppProcess replica, string database, string rolloutId, string decided, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var stored = await StoredLookAsync(database, rolloutId);
            if (stored != decided || replica.RecentOutput().Contains(DroppedLook, StringComparison.Ordinal))
            {
                return stored;
            }

            Assert.True(clock.Elapsed < timeout, $"the woken replica neither dropped nor stored its look within {timeout.TotalSeconds:F0} s:{Environment.NewLine}{replica.RecentOutput()}");
            await Task.Delay(50);
        }
    }

    private void Log(string line) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s  {line}");
}
