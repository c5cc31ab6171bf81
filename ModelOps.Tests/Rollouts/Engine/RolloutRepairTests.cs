using System.Net;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Rollouts.Engine;

/// <summary>
/// A decision whose routing swap failed while the process lived is carried out by the rollout
/// sweep (<c>RolloutRecovery.RepairAsync</c>), once <c>ModelOps:Gates:RepairAfterSeconds</c> have
/// passed since it — not left until the next restart. The swap is made to fail from outside the
/// app (<see cref="CrashSiteDatabase"/> refuses updates of the persisted routing table) and then
/// allowed again; the process is never restarted. The built app as a real child process.
/// </summary>
public sealed class RolloutRepairTests
{
    private static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["ModelOps:Gates:IntervalSeconds"] = "1",
        ["ModelOps:Gates:RepairAfterSeconds"] = "2",
    };

    private static readonly TimeSpan RepairTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StepAdvance_WhoseSwapWasRefused_IsAppliedOnceByTheSweep()
    {
        var directory = CrashSiteDatabase.NewDataDirectory();
        try
        {
            await using var app = await StartAsync(directory);
            using var console = await RolloutConsole.ConnectAsync(app);
            var id = await console.StartAsync(RolloutConsole.CanaryPlan(steps: [new { weight = 10.0, bakeSeconds = 2 }, new { weight = 50.0, bakeSeconds = 600 }]));
            Assert.Equal(RolloutConsole.Split(10), await console.RoutingAsync());
            await CrashSiteDatabase.RefuseUpdatesAsync(directory, CrashSiteDatabase.RoutingTable);
            using (var stop = new CancellationTokenSource())
            {
                var traffic = console.DriveTrafficAsync(3, stop.Token);
                await console.WaitForAsync(id, r => r.GetProperty("stepIndex").GetInt32() == 1, TimeSpan.FromSeconds(120), "step 1 baked with every guardrail passing");
                await stop.CancelAsync();
                await traffic;
            }

            // Step 2 is decided, its swap refused: step 1's split is still what is served.
            Assert.Equal(RolloutConsole.Split(10), await console.RoutingAsync());
            await CrashSiteDatabase.AllowUpdatesAsync(directory, CrashSiteDatabase.RoutingTable);

            Assert.Equal(RolloutConsole.Split(50), await RoutingWithinAsync(console, RolloutConsole.Split(50), RepairTimeout));
            Assert.Equal(["rollout.started", "rollout.advanced"], await console.RolloutActionsAsync(id));
            Assert.Single(await console.RoutingChangesAsync("repair: rollout of v3: step 2 of 2"));
            Assert.Equal("progressing", (await console.RolloutAsync(id)).GetProperty("state").GetString());
            var verified = await console.VerifyAuditAsync();
            Assert.True(verified.GetProperty("valid").GetBoolean(), $"audit chain: {verified}");
        }
        finally
        {
            CrashSiteDatabase.DeleteDataDirectory(directory);
        }
    }

    [Fact]
    public async Task Rollback_WhoseSwapWasRefused_IsCompletedByTheSweep_AndALaterOperatorChangeIsLeftAlone()
    {
        var directory = CrashSiteDatabase.NewDataDirectory();
        try
        {
            await using var app = await StartAsync(directory);
            using var console = await RolloutConsole.ConnectAsync(app);
            var id = await console.StartAsync(RolloutConsole.CanaryPlan(steps: [new { weight = 50.0, bakeSeconds = 600 }]));
            await CrashSiteDatabase.RefuseUpdatesAsync(directory, CrashSiteDatabase.RoutingTable);
            var (status, _) = await console.RollBackAsync(id, "repair test: roll back, swap refused");

            Assert.NotEqual(HttpStatusCode.OK, status);
            Assert.Equal("rolledBack", (await console.RolloutAsync(id)).GetProperty("state").GetString());
            Assert.Equal(RolloutConsole.Split(50), await console.RoutingAsync());
            await CrashSiteDatabase.AllowUpdatesAsync(directory, CrashSiteDatabase.RoutingTable);

            Assert.Equal(RolloutConsole.Split(0), await RoutingWithinAsync(console, RolloutConsole.Split(0), RepairTimeout));
            Assert.Single(await console.RoutingChangesAsync($"rollback of {id}"));
            Assert.Equal(["rollout.started", "rollout.rolledBack"], await console.RolloutActionsAsync(id));

            // An operator routes the candidate back in after the rollback: a choice made after the
            // decision, which the sweep must not undo (it would with only the state to go by).
            Assert.Equal(HttpStatusCode.OK, await console.RouteAsync(20, "operator: v3 at 20 % for a hotfix check"));
            await Task.Delay(TimeSpan.FromSeconds(6)); // three times the settle time, six sweeps
            Assert.Equal(RolloutConsole.Split(20), await console.RoutingAsync());
            Assert.Single(await console.RoutingChangesAsync($"rollback of {id}"));
            var verified = await console.VerifyAuditAsync();
            Assert.True(verified.GetProperty("valid").GetBoolean(), $"audit chain: {verified}");
        }
        finally
        {
            CrashSiteDatabase.DeleteDataDirectory(directory);
        }
    }

    /// <summary>The live split once it is <paramref name="expected"/>, or as it is when <paramref name="timeout"/> has passed.</summary>
    private static async Task<string> RoutingWithinAsync(RolloutConsole console, string expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var routed = await console.RoutingAsync();
        while (routed != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            routed = await console.RoutingAsync();
        }

        return routed;
    }

    private static Task<WebAppProcess> StartAsync(string directory) => WebAppProcess.StartAsync(TimeSpan.FromSeconds(120), Settings, directory);
}
