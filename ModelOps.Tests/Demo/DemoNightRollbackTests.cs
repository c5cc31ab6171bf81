using System.Text.Json;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Rollouts.Engine;
using Xunit.Abstractions;

namespace ModelOps.Tests.Demo;

/// <summary>
/// The README's demo end to end, on every CI run: the built app as a child process with its shipped
/// settings and simulated traffic (the simulated day starting at midnight), the documented plan
/// (<c>docs/demo-night-plan.json</c>: the template's guardrails, KPI hard and cut by hour, offline
/// on <c>auc</c>) started through the API, and — with nobody touching it — the guardrails roll v3
/// back in the first simulated night, on the KPI, with an incident and an audit chain that verifies.
/// The simulated night lasts six real minutes from 00:00; measured runs decided at about 01:30.
/// </summary>
public sealed class DemoNightRollbackTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["ModelOps:Simulator:Enabled"] = "true",
        ["ModelOps:Simulator:StartHour"] = "0",
    };

    /// <summary>The first simulated night, and a minute more for a slow start.</summary>
    private static readonly TimeSpan FirstNight = TimeSpan.FromMinutes(7);

    [Fact]
    public async Task DocumentedPlan_OnTheDemo_RollsV3BackOnTheKpiInTheFirstNight()
    {
        await using var app = await WebAppProcess.StartAsync(TimeSpan.FromSeconds(180), Settings);
        using var console = await RolloutConsole.ConnectAsync(app);
        var plan = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root(), "docs", "demo-night-plan.json"))).RootElement;
        var started = DateTime.UtcNow;
        var id = await console.StartAsync(plan);

        var rollout = await console.WaitForAsync(id, r => r.GetProperty("state").GetString() != "progressing", FirstNight, "v3 rolled back by its guardrails");
        output.WriteLine($"{rollout.GetProperty("state").GetString()} after {(DateTime.UtcNow - started).TotalSeconds:F0} s: {rollout.GetProperty("endReason")}");

        Assert.Equal("rolledBack", rollout.GetProperty("state").GetString());
        Assert.Equal("hard", rollout.GetProperty("trigger").GetString());
        var rolledBack = Assert.Single(await console.AuditAsync("rollout.rolledBack"));
        Assert.Equal("modelops-judge", rolledBack.GetProperty("actor").GetString());
        Assert.Contains(rollout.GetProperty("guardrails").EnumerateArray(), g => g.GetProperty("metric").GetString() == "kpi" && g.GetProperty("status").GetString() == "fail");
        var incident = Assert.Single(await console.IncidentsOfAsync(id));
        Assert.Equal(rollout.GetProperty("incidentId").GetString(), incident.GetProperty("id").GetString());
        Assert.Equal(RolloutConsole.Split(0), await console.RoutingSettledAsync(RolloutConsole.Split(0)));
        var verified = await console.VerifyAuditAsync();
        Assert.True(verified.GetProperty("valid").GetBoolean(), $"audit chain: {verified}");
    }
}
