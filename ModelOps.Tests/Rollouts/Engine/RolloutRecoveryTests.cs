using System.Net;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Rollouts.Engine;

/// <summary>
/// Start-up recovery of an ended rollout: it finishes what the rollout's decision left undone
/// (a promotion's champion move and swap), and nothing more — once the model's routing has changed
/// after the rollout ended (its own swap, or an operator moving traffic since), the restart leaves
/// the live table alone. The built app as a child process, killed (SIGKILL) and started again on
/// the same data directory.
/// </summary>
public sealed class RolloutRecoveryTests
{
    private static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?> { ["ModelOps:Gates:IntervalSeconds"] = "1" };

    /// <param name="weight">The step's weight when promoted; at 100 % the table already routes only v3, but still names it a rollout's candidate.</param>
    [Theory]
    [InlineData(50.0)]
    [InlineData(100.0)]
    public async Task Restart_PromotionKilledBeforeTheChampionMoved_MovesChampionThenTrafficOnce(double weight)
    {
        var directory = CrashSiteDatabase.NewDataDirectory();
        try
        {
            string id;
            await using (var app = await StartAsync(directory))
            using (var console = await RolloutConsole.ConnectAsync(app))
            {
                id = await console.StartAsync(RolloutConsole.CanaryPlan(steps: [new { weight, bakeSeconds = 600 }]));
                await CrashSiteDatabase.RefuseUpdatesAsync(directory, CrashSiteDatabase.AliasTable);
                var (status, _) = await console.PromoteAsync(id, "crash test: promote, then die before champion moves");
                var atKill = (await console.RoutingAsync(), await console.ChampionAsync());
                await app.KillAsync();

                Assert.Equal(HttpStatusCode.InternalServerError, status);
                Assert.Equal((RolloutConsole.Split(weight), 2), atKill);
            }

            await CrashSiteDatabase.AllowUpdatesAsync(directory, CrashSiteDatabase.AliasTable);
            Assert.Equal(("promoted", 0, (int?)null), await CrashSiteDatabase.RolloutAsync(directory, id));

            // Before the fix the restart routed all traffic to v3 and left champion on v2: registry and serving disagreed.
            await using (var app = await StartAsync(directory))
            using (var console = await RolloutConsole.ConnectAsync(app))
            {
                Assert.Equal((RolloutConsole.Split(100), 3), (await console.RoutingAsync(), await console.ChampionAsync()));
                Assert.Equal(["rollout.started", "rollout.promoted"], await console.RolloutActionsAsync(id));
                Assert.Single(await console.AuditAsync("alias.moved"), r =>
                    r.GetProperty("target").GetString() == $"model:{RolloutConsole.Model}/aliases/champion" && r.GetProperty("details").GetProperty("to").GetInt32() == 3);
                Assert.Single(await console.RoutingChangesAsync($"promotion of {id}"));
                var verified = await console.VerifyAuditAsync();
                Assert.True(verified.GetProperty("valid").GetBoolean(), $"audit chain: {verified}");

                // The table is what a promotion leaves (no rollout's candidate in it), so serving follows champion again.
                Assert.Equal(HttpStatusCode.OK, await console.MoveChampionAsync(2, "rollback by alias after the recovered promotion"));
                Assert.Equal(RolloutConsole.Split(0), await console.RoutingAsync());
            }
        }
        finally
        {
            CrashSiteDatabase.DeleteDataDirectory(directory);
        }
    }

    [Fact]
    public async Task Restart_ChampionMovedBackAfterAPromotion_KeepsTheOperatorsRouting()
    {
        var directory = CrashSiteDatabase.NewDataDirectory();
        try
        {
            await using (var app = await StartAsync(directory))
            using (var console = await RolloutConsole.ConnectAsync(app))
            {
                var id = await console.StartAsync(RolloutConsole.CanaryPlan(steps: [new { weight = 50.0, bakeSeconds = 600 }]));
                Assert.Equal(HttpStatusCode.OK, (await console.PromoteAsync(id, "v3 wins")).Status);
                Assert.Equal(RolloutConsole.Split(100), await console.RoutingAsync());
                Assert.Equal(HttpStatusCode.OK, await console.MoveChampionAsync(2, "rollback by alias: v3 misbehaves after the promotion"));
                Assert.Equal(RolloutConsole.Split(0), await console.RoutingAsync());
                await app.KillAsync();
            }

            await using (var app = await StartAsync(directory))
            using (var console = await RolloutConsole.ConnectAsync(app))
            {
                // Before the fix the restart "completed the promotion" again: all traffic back on v3, champion still v2.
                Assert.Equal((RolloutConsole.Split(0), 2), (await console.RoutingAsync(), await console.ChampionAsync()));
            }
        }
        finally
        {
            CrashSiteDatabase.DeleteDataDirectory(directory);
        }
    }

    private static Task<WebAppProcess> StartAsync(string directory) => WebAppProcess.StartAsync(TimeSpan.FromSeconds(120), Settings, directory);
}
