using System.Net;
using Microsoft.Data.Sqlite;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Rollouts.Engine;

/// <summary>
/// Start-up recovery carries out what an ended rollout left undone, and nothing more: once the
/// model's routing has changed after the rollout ended (its own swap, or an operator moving traffic
/// since), the restart leaves the live table alone. The built app as a child process, killed and
/// started again on the same data directory.
/// </summary>
public sealed class RolloutRecoveryTests
{
    [Fact]
    public async Task Restart_ChampionMovedBackAfterAPromotion_KeepsTheOperatorsRouting()
    {
        var directory = Path.Combine(Path.GetTempPath(), "modelops-crash", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["ModelOps:Gates:IntervalSeconds"] = "1" };
        try
        {
            await using (var app = await WebAppProcess.StartAsync(TimeSpan.FromSeconds(120), settings, directory))
            using (var console = await RolloutConsole.ConnectAsync(app))
            {
                var id = await console.StartAsync(RolloutConsole.CanaryPlan(steps: [new { weight = 50.0, bakeSeconds = 600 }]));
                Assert.Equal(HttpStatusCode.OK, (await console.PromoteAsync(id, "v3 wins")).Status);
                Assert.Equal(RolloutConsole.Split(100), await console.RoutingAsync());
                Assert.Equal(HttpStatusCode.OK, await console.MoveChampionAsync(2, "rollback by alias: v3 misbehaves after the promotion"));
                Assert.Equal(RolloutConsole.Split(0), await console.RoutingAsync());
                await app.KillAsync();
            }

            await using (var app = await WebAppProcess.StartAsync(TimeSpan.FromSeconds(120), settings, directory))
            using (var console = await RolloutConsole.ConnectAsync(app))
            {
                // Before the fix the restart "completed the promotion" again: all traffic back on v3, champion still v2.
                Assert.Equal(RolloutConsole.Split(0), await console.RoutingAsync());
                Assert.Equal(2, await console.ChampionAsync());
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
