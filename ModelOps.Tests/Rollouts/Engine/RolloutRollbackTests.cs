using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Serving.Routing;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Rollouts.Engine;

/// <summary>
/// Rollbacks and the incidents they open, on the real app with its Quartz jobs: the incident
/// freezes the candidate until it is closed, a staged plan steps down through its holds, and a
/// shadow rollout moves into its first canary step on <c>advance</c>.
/// </summary>
public sealed class RolloutRollbackTests : IAsyncLifetime
{
    private readonly InferenceAppFixture _app = new();
    private HttpClient _operator = null!; // Set in InitializeAsync.
    private HttpClient _reviewer = null!;

    public async Task InitializeAsync()
    {
        _app.Factory.Settings["ModelOps:Gates:IntervalSeconds"] = "1";
        await _app.InitializeAsync();
        _operator = await _app.Factory.CreateClientForAsync("operator");
        _reviewer = await _app.Factory.CreateClientForAsync("reviewer");
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        _reviewer.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task ManualRollback_OpensAnIncidentThatFreezesTheCandidateUntilClosed()
    {
        var id = await RolloutDriver.StartAsync(_operator, Canary());

        using var rolledBack = await _operator.PostAsJsonAsync($"/api/rollouts/{id}/rollback", new { reason = "dashboards look wrong" });

        var rollout = (await rolledBack.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rollout");
        Assert.Equal(("rolledBack", "manual"), (rollout.GetProperty("state").GetString(), rollout.GetProperty("trigger").GetString()));
        Assert.True(rollout.GetProperty("decisionToRestoreMs").GetDouble() > 0);
        var incidentId = rollout.GetProperty("incidentId").GetString();
        var incidents = await _reviewer.GetFromJsonAsync<JsonElement>("/api/incidents");
        var incident = incidents.EnumerateArray().Single();
        Assert.Equal((incidentId, id, 3, 2), (incident.GetProperty("id").GetString(), incident.GetProperty("rolloutId").GetString(), incident.GetProperty("fromVersion").GetInt32(), incident.GetProperty("toVersion").GetInt32()));
        Assert.Equal(("manual", "operator", "dashboards look wrong"), (incident.GetProperty("trigger").GetProperty("kind").GetString(), incident.GetProperty("trigger").GetProperty("actor").GetString(), incident.GetProperty("trigger").GetProperty("reason").GetString()));
        Assert.StartsWith("sha256:", incident.GetProperty("evidence").GetProperty("artifacts").GetProperty("candidateDigest").GetString(), StringComparison.Ordinal);
        Assert.Equal(["rollout.started", "rollout.rolledBack"], incident.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("action").GetString()).Where(a => a!.StartsWith("rollout.", StringComparison.Ordinal)));
        Assert.Equal("pending", incident.GetProperty("verification").GetProperty("status").GetString());

        Assert.True((await _reviewer.GetFromJsonAsync<JsonElement>("/api/models/ctr-ranker/versions/3")).GetProperty("frozen").GetBoolean());
        using (var delete = await _operator.DeleteAsync("/api/models/ctr-ranker/versions/3"))
        {
            Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        }

        using (var preflight = await _operator.PostAsJsonAsync("/api/rollouts/preflight", Canary()))
        {
            var checks = (await preflight.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").EnumerateArray();
            Assert.Equal(HttpStatusCode.Conflict, preflight.StatusCode);
            Assert.Contains(checks, c => c.GetProperty("name").GetString() == "frozen" && !c.GetProperty("ok").GetBoolean());
        }

        using var close = await _reviewer.PostAsJsonAsync($"/api/incidents/{incidentId}/close", new { rootCause = "bad features" });
        Assert.Equal(HttpStatusCode.Conflict, close.StatusCode);
        Assert.Contains("verification", (await close.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StagedRollback_StepsTheCandidateDownThroughItsHoldsThenRoutesEverythingToTheTarget()
    {
        var plan = new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            steps = new[] { new { weight = 50.0, bakeSeconds = 600 } },
            guardrails = new object[] { new { metric = "error_rate", limit = 0.5, windowSeconds = 60, sustainSeconds = 2, severity = "hard" } },
            rollback = new { mode = "staged", steps = new[] { new { weight = 25.0, holdSeconds = 2 }, new { weight = 0.0, holdSeconds = 0 } } },
        };
        var id = await RolloutDriver.StartAsync(_operator, plan);

        using var rolledBack = await _operator.PostAsJsonAsync($"/api/rollouts/{id}/rollback", new { reason = "step down gently" });
        var holding = (await rolledBack.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rollout");
        using var second = await _operator.PostAsJsonAsync($"/api/rollouts/{id}/rollback", new { reason = "again" });

        Assert.Equal("rollingBack", holding.GetProperty("state").GetString());
        Assert.Equal(25, holding.GetProperty("weights").GetProperty("3").GetDouble());
        Assert.False((await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetBoolean());
        var ended = await RolloutDriver.UntilAsync(_app, _operator, id, r => RolloutDriver.IsIn(r, "rolledBack"), TimeSpan.FromSeconds(30));
        Assert.Equal("rolledBack", ended.GetProperty("state").GetString());
        Assert.Equal([2], await RolloutDriver.RoutedWhenSettledAsync(_app, 2));
        Assert.Single((await _reviewer.GetFromJsonAsync<JsonElement>("/api/incidents")).EnumerateArray());
    }

    [Fact]
    public async Task ShadowRollout_AdvanceMovesItIntoItsFirstCanaryStep_Once()
    {
        var plan = new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            strategy = "shadow",
            shadow = new { share = 1.0 },
            steps = new[] { new { weight = 10.0, bakeSeconds = 600 } },
            guardrails = new object[] { new { metric = "error_rate", limit = 0.5, windowSeconds = 60, sustainSeconds = 2, severity = "hard" } },
        };
        var id = await RolloutDriver.StartAsync(_operator, plan);
        var router = _app.Factory.Services.GetRequiredService<ITrafficRouter>();
        Assert.Equal(3, router.Current("ctr-ranker")!.Shadow!.Version);
        Assert.Equal([new RouteWeight(2, 100)], router.Current("ctr-ranker")!.DefaultWeights);

        using var advanced = await _operator.PostAsJsonAsync($"/api/rollouts/{id}/advance", new { });
        using var again = await _operator.PostAsJsonAsync($"/api/rollouts/{id}/advance", new { });

        var rollout = (await advanced.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rollout");
        Assert.Equal(("progressing", 0), (rollout.GetProperty("state").GetString(), rollout.GetProperty("stepIndex").GetInt32()));
        Assert.Equal((90.0, 10.0), (rollout.GetProperty("weights").GetProperty("2").GetDouble(), rollout.GetProperty("weights").GetProperty("3").GetDouble()));
        Assert.Null(router.Current("ctr-ranker")!.Shadow);
        Assert.False((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetBoolean());
    }

    private static object Canary() => new
    {
        model = "ctr-ranker",
        candidateVersion = 3,
        owner = "ml-platform",
        steps = new[] { new { weight = 20.0, bakeSeconds = 600 } },
        guardrails = new object[] { new { metric = "error_rate", limit = 0.5, windowSeconds = 60, sustainSeconds = 2, severity = "hard" } },
    };
}
