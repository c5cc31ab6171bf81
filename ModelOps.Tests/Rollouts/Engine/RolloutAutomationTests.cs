using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Audit;
using ModelOps.Core.Persistence;
using ModelOps.Core.Serving.Routing;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Rollouts.Engine;

/// <summary>
/// The real app, the real Quartz job (every second here) and the real judge: a chaos-injected
/// latency regression on a 20 % canary rolls the rollout back on its own.
/// </summary>
public sealed class RolloutAutomationTests : IAsyncLifetime
{
    private readonly InferenceAppFixture _app = new();
    private HttpClient _operator = null!; // Set in InitializeAsync.

    public async Task InitializeAsync()
    {
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
    public async Task HardLatencyGuardrail_ChaosLatencyOnTheCandidate_RollsBackAutomatically()
    {
        using var started = await _operator.PostAsJsonAsync("/api/rollouts", new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            steps = new[] { new { weight = 20.0, bakeSeconds = 600 } },
            guardrails = new object[]
            {
                new { metric = "latency_p95", threshold = 0.2, windowSeconds = 60, sustainSeconds = 2, severity = "hard" },
                new { metric = "offline_auc", threshold = 0.05, severity = "hard" },
            },
        });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        using (var chaos = await _operator.PostAsJsonAsync("/api/chaos", new { model = "ctr-ranker", version = 3, addedLatencyMs = 25 }))
        {
            Assert.Equal(HttpStatusCode.OK, chaos.StatusCode);
        }

        var rollout = await DriveTrafficUntilEndedAsync(id!, TimeSpan.FromSeconds(60));

        Assert.Equal("rolledBack", rollout.GetProperty("state").GetString());
        Assert.StartsWith("automatic: latency_p95", rollout.GetProperty("endReason").GetString(), StringComparison.Ordinal);
        // The decision commits first and the swap follows it within milliseconds.
        Assert.Equal([2], await RolloutDriver.RoutedWhenSettledAsync(_app, 2));
        // v3's registered auc is within 0.05 of v2's: the offline guardrail read both from the registry and passed.
        var offline = rollout.GetProperty("guardrails").EnumerateArray().Single(g => g.GetProperty("metric").GetString() == "offline");
        Assert.Equal("pass", offline.GetProperty("status").GetString());
        await using var scope = _app.Factory.Services.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Set<AuditEntry>()
            .Where(e => e.Action == "rollout.rolledBack").Select(e => e.Actor).ToListAsync();
        Assert.Equal(["modelops-judge"], rows);

        // The incident holds the trigger and the judge's verdicts as they stood at the decision.
        var settled = await _operator.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}");
        Assert.Equal("hard", settled.GetProperty("trigger").GetString());
        Assert.True(settled.GetProperty("detectionToRestoreMs").GetDouble() >= settled.GetProperty("decisionToRestoreMs").GetDouble());
        var incident = await _operator.GetFromJsonAsync<JsonElement>($"/api/incidents/{settled.GetProperty("incidentId").GetString()}");
        Assert.Equal(("hard", "modelops-judge"), (incident.GetProperty("trigger").GetProperty("kind").GetString(), incident.GetProperty("trigger").GetProperty("actor").GetString()));
        Assert.Contains(incident.GetProperty("evidence").GetProperty("verdicts").EnumerateArray(),
            v => v.GetProperty("metric").GetString() == "latency_p95" && v.GetProperty("status").GetString() == "fail" && v.GetProperty("sustained").GetBoolean());
    }

    [Fact]
    public async Task HealthyCandidate_EveryStepBakedWithGuardrailsPassing_IsPromotedThroughEveryStep()
    {
        using var started = await _operator.PostAsJsonAsync("/api/rollouts", new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            steps = new[] { new { weight = 50.0, bakeSeconds = 2 }, new { weight = 100.0, bakeSeconds = 2 } },
            guardrails = new object[]
            {
                new { metric = "latency_p95", threshold = 1.0, windowSeconds = 60, sustainSeconds = 2, severity = "hard" },
                new { metric = "error_rate", limit = 0.5, windowSeconds = 60, sustainSeconds = 2, severity = "hard" },
            },
        });
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var rollout = await DriveTrafficUntilEndedAsync(id!, TimeSpan.FromSeconds(90));

        Assert.Equal("promoted", rollout.GetProperty("state").GetString());
        Assert.Equal(1, rollout.GetProperty("stepIndex").GetInt32());
        Assert.Equal([3], await RolloutDriver.RoutedWhenSettledAsync(_app, 3));
        await using var scope = _app.Factory.Services.CreateAsyncScope();
        var actions = await scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Set<AuditEntry>()
            .Where(e => e.Action.StartsWith("rollout.")).OrderBy(e => e.Seq).Select(e => e.Action).ToListAsync();
        Assert.Equal(["rollout.started", "rollout.advanced", "rollout.promoted"], actions);
    }

    [Fact]
    public async Task RegionalStep_ChaosLatencyOnTheCandidate_IsJudgedInTheOpenRegionAndRolledBackNamingIt()
    {
        using var started = await _operator.PostAsJsonAsync("/api/rollouts", new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            steps = new object[] { new { weight = 50.0, bakeSeconds = 600, regions = new[] { "eu" } }, new { weight = 100.0, bakeSeconds = 60 } },
            guardrails = new object[] { new { metric = "latency_p95", threshold = 0.2, windowSeconds = 60, sustainSeconds = 2, severity = "hard" } },
        });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        using (var chaos = await _operator.PostAsJsonAsync("/api/chaos", new { model = "ctr-ranker", version = 3, addedLatencyMs = 25 }))
        {
            Assert.Equal(HttpStatusCode.OK, chaos.StatusCode);
        }

        var rollout = await DriveTrafficUntilEndedAsync(id!, TimeSpan.FromSeconds(60), regions: true);

        Assert.Equal("rolledBack", rollout.GetProperty("state").GetString());
        Assert.StartsWith("automatic: latency_p95 in region eu failed", rollout.GetProperty("endReason").GetString(), StringComparison.Ordinal);
        // Judged on eu's own traffic; us never served the candidate (not open), so it shows no verdicts.
        var regional = rollout.GetProperty("guardrails").EnumerateArray().Where(g => g.TryGetProperty("region", out var r) && r.ValueKind == JsonValueKind.String).ToList();
        Assert.All(regional, g => Assert.Equal("eu", g.GetProperty("region").GetString()));
        var eu = Assert.Single(regional, g => g.GetProperty("metric").GetString() == "latency_p95");
        Assert.Equal(("eu", "fail"), (eu.GetProperty("region").GetString(), eu.GetProperty("status").GetString()));
        Assert.True(eu.GetProperty("samples").GetProperty("candidate").GetInt64() > 0);
    }

    private async Task<JsonElement> DriveTrafficUntilEndedAsync(string id, TimeSpan timeout, bool regions = false)
    {
        using var stop = new CancellationTokenSource(timeout);
        var workers = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var features = InferenceAppFixture.Features(hour: i % 24, userId: $"u{worker}-{i}");
                using var response = await _app.Client.PostAsJsonAsync(
                    "/inference/ctr-ranker/predict", new { features, region = regions ? (i % 2 == 0 ? "eu" : "us") : null }, CancellationToken.None);
            }
        })).ToList();
        JsonElement rollout;
        do
        {
            await Task.Delay(250, CancellationToken.None);
            rollout = await _operator.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}");
        }
        while (rollout.GetProperty("state").GetString() == "progressing" && !stop.IsCancellationRequested);

        await stop.CancelAsync();
        await Task.WhenAll(workers);
        return rollout;
    }
}
