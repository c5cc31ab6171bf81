using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ModelOps.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ModelOps.Tests.Rollouts.Engine;

/// <summary>
/// The built app as a real child process, SIGKILLed in the middle of a canary step and of a
/// rollback, then started again on the same data directory. A kill at the one moment that matters
/// (a decision committed, its routing swap not yet made) is made deterministic by refusing that
/// write from outside the app (<see cref="CrashSiteDatabase"/>)
/// and killing the process in that state; other kills land at seeded random moments. After each
/// restart the routing table, the rollout's state and its judging must carry on from what was
/// stored, with no step done twice and an audit chain that verifies.
/// </summary>
public sealed class RolloutCrashTests(ITestOutputHelper output)
{
    private const int Baseline = 2;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task Canary_KilledAtAStepAdvanceThenMidStep_RestartsOnTheStoredStepWithoutRedoingIt()
    {
        var directory = CrashSiteDatabase.NewDataDirectory();
        try
        {
            string id;
            DateTimeOffset killedAt;
            await using (var app = await StartAsync(directory))
            using (var console = await RolloutConsole.ConnectAsync(app))
            {
                id = await console.StartAsync(RolloutConsole.CanaryPlan(steps: [new { weight = 50.0, bakeSeconds = 2 }, new { weight = 80.0, bakeSeconds = 600 }]));
                Assert.Equal(RolloutConsole.Split(50), await console.RoutingAsync());
                await CrashSiteDatabase.RefuseUpdatesAsync(directory, CrashSiteDatabase.RoutingTable);
                using var stop = new CancellationTokenSource();
                var traffic = console.DriveTrafficAsync(3, stop.Token);
                await console.WaitForAsync(id, r => r.GetProperty("stepIndex").GetInt32() == 1, TimeSpan.FromSeconds(60), "step 1 baked with every guardrail passing");
                var routedAtKill = await console.RoutingAsync();
                await app.KillAsync();
                killedAt = DateTimeOffset.UtcNow;
                await stop.CancelAsync();
                Log($"life 1: advance to step 2 committed, its swap refused, SIGKILL ({(await traffic).Count} predictions served)");

                // The window is real: step 2 is stored but step 1's split is what was live when the process died.
                Assert.Equal(RolloutConsole.Split(50), routedAtKill);
            }

            await CrashSiteDatabase.AllowUpdatesAsync(directory, CrashSiteDatabase.RoutingTable);
            Assert.Equal(("progressing", 1, (int?)null), await CrashSiteDatabase.RolloutAsync(directory, id));

            // Lives 2 and 3 are each killed at a seeded random moment mid-step, under traffic; life 4 only checks.
            var random = new Random(11);
            for (var life = 2; life <= 4; life++)
            {
                await using var app = await StartAsync(directory);
                using var console = await RolloutConsole.ConnectAsync(app);
                await AssertResumedOnStep2Async(console, id, killedAt);
                Log($"life {life}: restarted on step 2 with its split live, one advance in the audit log, judged again");
                if (life == 4)
                {
                    var verified = await console.VerifyAuditAsync();
                    Assert.True(verified.GetProperty("valid").GetBoolean(), $"audit chain: {verified}");
                    break;
                }

                using var stop = new CancellationTokenSource();
                var traffic = console.DriveTrafficAsync(3, stop.Token);
                var after = random.Next(300, 2_500);
                await Task.Delay(after);
                await app.KillAsync();
                killedAt = DateTimeOffset.UtcNow;
                await stop.CancelAsync();
                Log($"life {life}: SIGKILL {after} ms into the step under traffic ({(await traffic).Count} predictions served)");
                Assert.Equal(("progressing", 1, (int?)null), await CrashSiteDatabase.RolloutAsync(directory, id));
            }
        }
        finally
        {
            CrashSiteDatabase.DeleteDataDirectory(directory);
        }
    }

    [Fact]
    public async Task InstantRollback_KilledBetweenDecisionAndSwap_RestartCompletesTheSwapOnce()
    {
        var directory = CrashSiteDatabase.NewDataDirectory();
        try
        {
            string id;
            await using (var app = await StartAsync(directory))
            using (var console = await RolloutConsole.ConnectAsync(app))
            {
                id = await console.StartAsync(RolloutConsole.CanaryPlan(steps: [new { weight = 50.0, bakeSeconds = 600 }]));
                await CrashSiteDatabase.RefuseUpdatesAsync(directory, CrashSiteDatabase.RoutingTable);
                var (status, body) = await console.RollBackAsync(id, "crash test: roll back, then die before the swap");
                var routedAtKill = await console.RoutingAsync();
                await app.KillAsync();
                Log($"life 1: rollback committed, swap refused ({(int)status}), SIGKILL");

                Assert.Equal(HttpStatusCode.InternalServerError, status);
                Assert.Equal(JsonValueKind.Object, body.ValueKind);
                Assert.Equal(RolloutConsole.Split(50), routedAtKill);
            }

            await CrashSiteDatabase.AllowUpdatesAsync(directory, CrashSiteDatabase.RoutingTable);
            Assert.Equal(("rolledBack", 0, (int?)null), await CrashSiteDatabase.RolloutAsync(directory, id));

            // Without RolloutRecovery the restart would restore the persisted table (v3 at 50 %) under a
            // rolled-back rollout, and nothing would ever move it: no job judges a rolled-back rollout.
            await using (var app = await StartAsync(directory))
            using (var console = await RolloutConsole.ConnectAsync(app))
            {
                Assert.Equal(RolloutConsole.Split(0), await console.RoutingAsync());
                Assert.Equal("rolledBack", (await console.RolloutAsync(id)).GetProperty("state").GetString());
                using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
                {
                    Assert.All(await console.DriveTrafficAsync(2, stop.Token), version => Assert.Equal(Baseline, version));
                }

                var (status, body) = await console.RollBackAsync(id, "crash test: pressed again after the restart");
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.False(body.GetProperty("changed").GetBoolean());

                Assert.Equal(["rollout.started", "rollout.rolledBack"], await console.RolloutActionsAsync(id));
                Assert.Single(await console.RoutingChangesAsync($"rollback of {id}"));
                Assert.Single(await console.IncidentsOfAsync(id));
                var verified = await console.VerifyAuditAsync();
                Assert.True(verified.GetProperty("valid").GetBoolean(), $"audit chain: {verified}");
                Log("life 2: the swap completed at start, once; one rolledBack row, one incident, chain valid");
            }
        }
        finally
        {
            CrashSiteDatabase.DeleteDataDirectory(directory);
        }
    }

    /// <param name="swapInterrupted">
    /// true: killed between the staged rollback's decision and its first swap; false: killed during
    /// the first hold, with the candidate already down to 25 %. Both must restart holding at 25 %.
    /// </param>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StagedRollback_KilledInTheDecisionOrTheHold_RestartHoldsThenCompletesOnce(bool swapInterrupted)
    {
        // Long enough for a restart on a loaded 2-core machine (up to ~25 s seen) to land inside the hold.
        const int HoldSeconds = 40;
        var directory = CrashSiteDatabase.NewDataDirectory();
        try
        {
            string id;
            DateTimeOffset killedAt;
            await using (var app = await StartAsync(directory))
            using (var console = await RolloutConsole.ConnectAsync(app))
            {
                id = await console.StartAsync(RolloutConsole.CanaryPlan(
                    steps: [new { weight = 50.0, bakeSeconds = 600 }],
                    rollback: new { mode = "staged", steps = new[] { new { weight = 25.0, holdSeconds = HoldSeconds }, new { weight = 0.0, holdSeconds = 0 } } }));
                if (swapInterrupted)
                {
                    await CrashSiteDatabase.RefuseUpdatesAsync(directory, CrashSiteDatabase.RoutingTable);
                }

                var (status, _) = await console.RollBackAsync(id, "crash test: staged rollback");
                var routedAtKill = await console.RoutingAsync();
                if (!swapInterrupted)
                {
                    await Task.Delay(1_000);
                }

                await app.KillAsync();
                killedAt = DateTimeOffset.UtcNow;
                Log($"life 1: staged rollback decided ({(int)status}), SIGKILL {(swapInterrupted ? "before its swap" : "during its hold")}");

                Assert.Equal(swapInterrupted ? HttpStatusCode.InternalServerError : HttpStatusCode.OK, status);
                Assert.Equal(RolloutConsole.Split(swapInterrupted ? 50 : 25), routedAtKill);
            }

            await CrashSiteDatabase.AllowUpdatesAsync(directory, CrashSiteDatabase.RoutingTable);
            Assert.Equal(("rollingBack", 0, (int?)0), await CrashSiteDatabase.RolloutAsync(directory, id));

            await using (var app = await StartAsync(directory))
            using (var console = await RolloutConsole.ConnectAsync(app))
            {
                // Still inside the hold (it counts from the decision): recovery holds at 25 %, it does not jump to 0 % or back to 50 %.
                var restartedAfter = DateTimeOffset.UtcNow - killedAt;
                Assert.True(restartedAfter < TimeSpan.FromSeconds(HoldSeconds - 3), $"the restart took {restartedAfter.TotalSeconds:F0} s, too long to see the hold");
                Assert.Equal(RolloutConsole.Split(25), await console.RoutingAsync());
                var holding = await console.RolloutAsync(id);
                Assert.Equal(("rollingBack", 0), (holding.GetProperty("state").GetString(), holding.GetProperty("rollbackStepIndex").GetInt32()));
                await console.WaitForAsync(id, r => Judged(r, after: killedAt), TimeSpan.FromSeconds(15), "the hold judged after the restart");
                Log("life 2: holding at 25 % and judged again");

                await console.WaitForAsync(id, r => r.GetProperty("state").GetString() == "rolledBack", TimeSpan.FromSeconds(HoldSeconds + 15), "the hold passed and the rollback completed");
                Assert.Equal(RolloutConsole.Split(0), await console.RoutingSettledAsync(RolloutConsole.Split(0)));
                Assert.Equal(["rollout.started", "rollout.rollingBack", "rollout.rolledBack"], await console.RolloutActionsAsync(id));
                Assert.Single(await console.RoutingChangesAsync("hold 1 of 2"));
                Assert.Single(await console.RoutingChangesAsync($"rollback of {id}"));
                Assert.Single(await console.IncidentsOfAsync(id));
                var verified = await console.VerifyAuditAsync();
                Assert.True(verified.GetProperty("valid").GetBoolean(), $"audit chain: {verified}");
                Log("life 2: hold passed, all traffic on v2; one rollingBack and one rolledBack row, one incident, chain valid");
            }
        }
        finally
        {
            CrashSiteDatabase.DeleteDataDirectory(directory);
        }
    }

    /// <summary>After a restart on step 2: stored step and state, its split live, exactly one advance and one swap for it, and the rollout judged again.</summary>
    private static async Task AssertResumedOnStep2Async(RolloutConsole console, string id, DateTimeOffset killedAt)
    {
        var rollout = await console.RolloutAsync(id);
        Assert.Equal(("progressing", 1), (rollout.GetProperty("state").GetString(), rollout.GetProperty("stepIndex").GetInt32()));
        Assert.Equal(RolloutConsole.Split(80), await console.RoutingAsync());
        Assert.Equal(["rollout.started", "rollout.advanced"], await console.RolloutActionsAsync(id));
        var advanced = (await console.AuditAsync("rollout.advanced")).Single();
        Assert.Equal(2, advanced.GetProperty("details").GetProperty("step").GetInt32());
        Assert.Single(await console.RoutingChangesAsync("step 2 of 2"));

        // A look after the restart proves the rollout's job was rebuilt from the database.
        await console.WaitForAsync(id, r => Judged(r, after: killedAt), TimeSpan.FromSeconds(15), "a look after the restart");
    }

    private static bool Judged(JsonElement rollout, DateTimeOffset after) =>
        rollout.GetProperty("evaluatedAt") is { ValueKind: JsonValueKind.String } at && at.GetDateTimeOffset() > after;

    private async Task<WebAppProcess> StartAsync(string directory)
    {
        var app = await WebAppProcess.StartAsync(StartTimeout, new Dictionary<string, string?> { ["ModelOps:Gates:IntervalSeconds"] = "1" }, directory);
        Log($"ready on {app.BaseAddress}");
        return app;
    }

    private void Log(string line) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s  {line}");
}
