using System.Diagnostics;
using System.Text.Json;
using ModelOps.Tests.Rollouts.Engine;
using Xunit.Abstractions;

namespace ModelOps.Tests.Cluster;

/// <summary>
/// Two replicas (real child processes) on one PostgreSQL database: the replica running a rollout's
/// evaluation judges the traffic every replica served (their published buckets, merged), not only
/// its own, and a replica that stops publishing holds judging back only until it counts as silent.
/// </summary>
[Collection(ReplicaSet.Collection)]
public sealed class ReplicaJudgingTests(ITestOutputHelper output)
{
    private const int SilentSeconds = 3;

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task Canary_TrafficOnlyThroughTheReplicaNotJudging_IsCountedByTheJudge()
    {
        await using var set = await ReplicaSet.CreateAsync();
        var replicas = new[] { await set.StartAsync("replica-a"), await set.StartAsync("replica-b") };
        using var onA = await RolloutConsole.ConnectAsync(replicas[0]);
        using var onB = await RolloutConsole.ConnectAsync(replicas[1]);
        var id = await onA.StartAsync(RolloutConsole.CanaryPlan(steps: [new { weight = 50.0, bakeSeconds = 600 }]));
        await onA.RoutingSettledAsync(RolloutConsole.Split(50));
        await onB.RoutingSettledAsync(RolloutConsole.Split(50));
        var judge = await TwoReplicaRolloutTests.EvaluatingReplicaAsync(set.Database, id, TimeSpan.FromSeconds(20));
        var serving = judge == "replica-a" ? onB : onA;
        Log($"{judge} runs the rollout's job; traffic goes only through the other");
        await Task.Delay(1500); // past the second the split went live on both

        List<int> served;
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(6)))
        {
            served = [.. await serving.DriveTrafficAsync(2, stop.Token)];
        }

        var stoppedAt = DateTimeOffset.UtcNow;
        var rollout = await onA.WaitForAsync(id, r => Evaluated(r) > stoppedAt.AddSeconds(1), TimeSpan.FromSeconds(30), "a look past the traffic");
        // The sample-ratio check counts both arms' requests (the error-rate limit only the candidate's).
        var samples = rollout.GetProperty("guardrails").EnumerateArray().Single(g => g.GetProperty("metric").GetString() == "srm").GetProperty("samples");
        var (baseline, candidate) = (served.Count(v => v == 2), served.Count(v => v == 3));
        Log($"served v2 {baseline}, v3 {candidate}; judged {samples}");

        Assert.True(served.Count > 50, $"only {served.Count} predictions served");
        // A request in flight when the callers stopped is served and counted but never read by them: one per caller at most.
        Assert.InRange(samples.GetProperty("baseline").GetInt64(), baseline, baseline + 2);
        Assert.InRange(samples.GetProperty("candidate").GetInt64(), candidate, candidate + 2);
    }

    [Fact]
    public async Task Canary_ReplicaKilled_JudgingCarriesOnWithoutItOnceSilentAndSaysSo()
    {
        var silent = new Dictionary<string, string?> { ["ModelOps:Cluster:MetricsSilentSeconds"] = $"{SilentSeconds}" };
        await using var set = await ReplicaSet.CreateAsync();
        var a = await set.StartAsync("replica-a", silent);
        var b = await set.StartAsync("replica-b", silent);
        using var onA = await RolloutConsole.ConnectAsync(a);
        var id = await onA.StartAsync(RolloutConsole.CanaryPlan(steps: [new { weight = 50.0, bakeSeconds = 600 }]));
        await onA.WaitForAsync(id, r => Evaluated(r) is not null, TimeSpan.FromSeconds(30), "a first look");

        await b.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        Log("SIGKILL replica-b");

        var rollout = await onA.WaitForAsync(id, r => Evaluated(r) > killedAt.AddSeconds(2), TimeSpan.FromSeconds(SilentSeconds + 30), "a look past the kill");
        Log($"judged through {Evaluated(rollout):O}, {(Evaluated(rollout) - killedAt)?.TotalSeconds:F1} s past the kill");
        using var scrape = new HttpClient { BaseAddress = a.BaseAddress };
        var metrics = await scrape.GetStringAsync("/metrics");
        Assert.Contains("modelops_cluster_judged_replica{instance=\"replica-b\",state=\"silent\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("modelops_cluster_judged_replica{instance=\"replica-a\",state=\"live\"} 1", metrics, StringComparison.Ordinal);
    }

    private static DateTimeOffset? Evaluated(JsonElement rollout) =>
        rollout.TryGetProperty("evaluatedAt", out var at) && at.ValueKind == JsonValueKind.String ? at.GetDateTimeOffset() : null;

    private void Log(string line) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s  {line}");
}
