using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Audit;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Serving.Routing;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Rollouts.Engine;

/// <summary>Starting a canary of the demo's v3 and the operator's commands, through the API on the real app.</summary>
public sealed class RolloutApiTests : IAsyncLifetime
{
    private readonly InferenceAppFixture _app = new();
    private HttpClient _operator = null!; // Set in InitializeAsync.

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        _operator = await _app.Factory.CreateClientForAsync("operator");
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Start_CanaryOfV3_ProgressesOnItsFirstStepAndASecondStartIsRefused()
    {
        var started = await StartAsync();
        using var second = await _operator.PostAsJsonAsync("/api/rollouts", Plan());

        Assert.Equal("progressing", started.GetProperty("state").GetString());
        Assert.Equal(5, started.GetProperty("weights").GetProperty("3").GetDouble());
        Assert.Equal(95, started.GetProperty("weights").GetProperty("2").GetDouble());
        var router = _app.Factory.Services.GetRequiredService<ITrafficRouter>();
        Assert.Equal((2, 3), (router.Current("ctr-ranker")!.BaselineVersion, router.Current("ctr-ranker")!.CandidateVersion));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
    }

    [Fact]
    public async Task Rollback_TwoOperatorsAtOnce_OneRollbackOneAuditRowAndAllTrafficBack()
    {
        var id = (await StartAsync()).GetProperty("id").GetString();

        var both = await Task.WhenAll(
            _operator.PostAsJsonAsync($"/api/rollouts/{id}/rollback", new { reason = "p95 regression seen on the dashboard" }),
            _operator.PostAsJsonAsync($"/api/rollouts/{id}/rollback", new { reason = "same, from the pager" }));
        var answers = await Task.WhenAll(both.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));

        Assert.All(both, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal([false, true], answers.Select(a => a.GetProperty("changed").GetBoolean()).Order());
        Assert.All(answers, a => Assert.Equal("rolledBack", a.GetProperty("rollout").GetProperty("state").GetString()));
        Assert.Equal([2], _app.Factory.Services.GetRequiredService<ITrafficRouter>().Current("ctr-ranker")!.RoutableVersions);
        await using var scope = _app.Factory.Services.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Set<AuditEntry>().CountAsync(e => e.Action == "rollout.rolledBack");
        Assert.Equal(1, rows);
        foreach (var response in both)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Rollback_AgainWhileTheCandidateIsStillRouted_FinishesTheSwapWithoutASecondDecision()
    {
        var id = (await StartAsync()).GetProperty("id").GetString();
        using (await _operator.PostAsJsonAsync($"/api/rollouts/{id}/rollback", new { reason = "first" }))
        {
        }

        // As if the process had died between the rollback's commit and its swap: the candidate is routed again.
        var router = _app.Factory.Services.GetRequiredService<ITrafficRouter>();
        var split = new RoutingChange([new RouteWeight(2, 95), new RouteWeight(3, 5)], null, null, 2, 3, "simulated interrupted rollback", null);
        Assert.True((await router.ChangeAsync("ctr-ranker", split, "test", CancellationToken.None)).IsSuccess);
        using var again = await _operator.PostAsJsonAsync($"/api/rollouts/{id}/rollback", new { reason = "again" });
        var answer = await again.Content.ReadFromJsonAsync<JsonElement>();

        Assert.False(answer.GetProperty("changed").GetBoolean());
        Assert.Equal([2], router.Current("ctr-ranker")!.RoutableVersions);
    }

    [Fact]
    public async Task Promote_WithReason_MovesChampionAndAllTrafficToTheCandidate()
    {
        var id = (await StartAsync()).GetProperty("id").GetString();

        using var promoted = await _operator.PostAsJsonAsync($"/api/rollouts/{id}/promote", new { reason = "all guardrails green for a day" });
        var aliases = await _operator.GetFromJsonAsync<JsonElement>("/api/models");

        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.Equal(3, aliases.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "ctr-ranker").GetProperty("aliases").GetProperty("champion").GetInt32());
        Assert.Equal([3], _app.Factory.Services.GetRequiredService<ITrafficRouter>().Current("ctr-ranker")!.RoutableVersions);
    }

    [Fact]
    public async Task Rollback_WithoutReason_Is400NamingIt()
    {
        var id = (await StartAsync()).GetProperty("id").GetString();

        using var response = await _operator.PostAsJsonAsync($"/api/rollouts/{id}/rollback", new { reason = "" });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("reason", problem.GetProperty("field").GetString());
    }

    private async Task<JsonElement> StartAsync()
    {
        using var response = await _operator.PostAsJsonAsync("/api/rollouts", Plan());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static object Plan() => new
    {
        model = "ctr-ranker",
        candidateVersion = 3,
        strategy = "canary",
        owner = "ml-platform",
        steps = new[] { new { weight = 5.0, bakeSeconds = 60 }, new { weight = 100.0, bakeSeconds = 300 } },
        guardrails = GuardrailTemplates.Default,
    };
}
