using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Tests.Serving.Inference;
using Xunit.Abstractions;

namespace ModelOps.Tests.Rollouts.Engine;

/// <summary>
/// The README's demo through the real app, the real traffic simulator and the real Quartz jobs, on a
/// fast simulated day (one day in 6 min at 400 requests/s: as many requests per simulated day as the
/// README's demo, a 24-minute day at 100 requests/s). The canary of v3 is started in the simulated
/// afternoon, at least 4 hours before the night, with the documented plan: the template's guardrails,
/// the KPI hard and also judged per part of the day (<c>segmentBy</c> hour, <c>segmentEdges</c> 6, 12,
/// 18), and the offline auc guardrail. Nothing is wrong by day; when the night comes round the KPI
/// fails on its own — in the part of the day before 06:00, or pooled, whichever test is sure first —
/// and the rollout rolls back with an incident, seen through the contract's endpoints, with a valid
/// audit chain.
/// </summary>
public sealed class DemoNightRollbackTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly InferenceAppFixture _app = new();
    private HttpClient _operator = null!; // Set in InitializeAsync.

    public async Task InitializeAsync()
    {
        _app.Factory.Settings["ModelOps:Simulator:Enabled"] = "true";
        _app.Factory.Settings["ModelOps:Simulator:StartHour"] = "10";
        _app.Factory.Settings["ModelOps:Simulator:DayLengthMinutes"] = "6";
        _app.Factory.Settings["ModelOps:Simulator:RequestsPerSecond"] = "400";
        _app.Factory.Settings["ModelOps:Simulator:Seed"] = "11";
        _app.Factory.Settings["ModelOps:Gates:IntervalSeconds"] = "1";
        await _app.InitializeAsync();
        _operator = await _app.Factory.CreateClientForAsync("operator");
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task DocumentedDemoPlan_StartedAtSimulatedNoon_RollsBackOnItsOwnWhenTheNightComesRound()
    {
        // StartHour 10, and the app's start-up takes a varying time: start in the first afternoon hour seen, 12:00-17:59.
        var startHour = -1;
        for (var waited = 0; waited < 2_000 && startHour is < 12 or > 17; waited++)
        {
            startHour = (await _operator.GetFromJsonAsync<JsonElement>("/api/simulator/")).GetProperty("simulatedHour").GetInt32();
            await Task.Delay(startHour is < 12 or > 17 ? 200 : 0);
        }

        Assert.InRange(startHour, 12, 17);
        var id = await RolloutDriver.StartAsync(_operator, new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            strategy = "canary",
            steps = new[] { new { weight = 50.0, bakeSeconds = 3600 }, new { weight = 100.0, bakeSeconds = 600 } },
            progressDeadlineSeconds = 7200,
            guardrails = new object[]
            {
                new { metric = "latency_p95", threshold = 0.3, windowSeconds = 300, sustainSeconds = 10, severity = "hard" },
                new { metric = "error_rate", limit = 0.05, windowSeconds = 180, sustainSeconds = 10, severity = "hard" },
                // One simulated hour is 15 s here: the demo's 60 s attribution (one simulated hour) scaled alike.
                new { metric = "kpi", threshold = 0.02, windowSeconds = 900, sustainSeconds = 10, severity = "hard", attributionSeconds = 15, segmentBy = "hour", segmentEdges = new[] { 6.0, 12, 18 } },
                new { metric = "offline", metricName = "auc", threshold = 0.05, severity = "hard" },
            },
        });

        // The first night ends at most 18 simulated hours (270 s) after the start; allow a second one.
        var rollout = await RolloutDriver.UntilAsync(_app, _operator, id, r => r.GetProperty("state").GetString() != "progressing", TimeSpan.FromSeconds(630), traffic: false);
        var kpi = rollout.GetProperty("guardrails").EnumerateArray().First(g => g.GetProperty("metric").GetString() == "kpi");
        var decidedBy = kpi.GetProperty("segments").GetProperty("decidedBy");
        var sent = (await _operator.GetFromJsonAsync<JsonElement>("/api/simulator/")).GetProperty("sent");
        output.WriteLine($"start hour {startHour}, {sent} requests sent; {rollout.GetProperty("state")} {rollout.GetProperty("startedAt")} → {rollout.GetProperty("endedAt")}, decided by {decidedBy}: {rollout.GetProperty("endReason")}");

        Assert.Equal("rolledBack", rollout.GetProperty("state").GetString());
        Assert.Equal("hard", rollout.GetProperty("trigger").GetString());
        Assert.StartsWith("automatic: kpi failed", rollout.GetProperty("endReason").GetString(), StringComparison.Ordinal);
        // The pooled test or a part of the day where v3 is worse (before 06:00), never a daytime part.
        Assert.Contains(decidedBy.GetString(), new[] { null, "feature.hour=< 6" });
        Assert.Equal([2], await RolloutDriver.RoutedWhenSettledAsync(_app, 2));
        var incident = await _operator.GetFromJsonAsync<JsonElement>($"/api/incidents/{rollout.GetProperty("incidentId").GetString()}");
        Assert.Equal(("hard", "modelops-judge", 3, 2), (
            incident.GetProperty("trigger").GetProperty("kind").GetString(), incident.GetProperty("trigger").GetProperty("actor").GetString(),
            incident.GetProperty("fromVersion").GetInt32(), incident.GetProperty("toVersion").GetInt32()));
        var audit = await _operator.GetFromJsonAsync<JsonElement>($"/api/audit?action=rollout.rolledBack");
        Assert.Equal(["modelops-judge"], audit.EnumerateArray().Select(e => e.GetProperty("actor").GetString()));
        var verify = await _operator.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.ToString());
    }
}
