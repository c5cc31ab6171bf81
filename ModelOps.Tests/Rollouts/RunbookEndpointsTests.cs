using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Rollouts;

/// <summary><c>GET /api/rollouts/{id}/runbook</c> on the real app, from a rollout row stored as the engine stores it.</summary>
public sealed class RunbookEndpointsTests : IAsyncLifetime
{
    private readonly ModelOpsAppFactory _factory = new();

    public Task InitializeAsync()
    {
        _factory.Settings["ModelOps:Demo:SeedModels"] = "false";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Runbook_AsReviewer_MarkdownOfTheStoredPlanWithCommandsOnThisServer()
    {
        var rollout = RolloutRows.Row("ctr-ranker", RolloutStates.Progressing, DateTimeOffset.UtcNow);
        using var reviewer = await _factory.CreateClientForAsync("reviewer");
        await EngineStandby.EnterAsync(_factory.Services);
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
            db.Add(rollout);
            await db.SaveChangesAsync();
        }

        using var response = await reviewer.GetAsync(new Uri($"/api/rollouts/{rollout.Id}/runbook", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/markdown", response.Content.Headers.ContentType?.MediaType);
        var markdown = await response.Content.ReadAsStringAsync();
        Assert.StartsWith($"# Runbook: ctr-ranker v3 (rollout `{rollout.Id}`)\n", markdown, StringComparison.Ordinal);
        Assert.Contains($"curl -s -X POST \"$MODELOPS/api/rollouts/{rollout.Id}/rollback\"", markdown, StringComparison.Ordinal);
        Assert.Contains($"export MODELOPS={reviewer.BaseAddress!.GetLeftPart(UriPartial.Authority)}\n", markdown, StringComparison.Ordinal); // WebApplicationFactory sets BaseAddress.
    }

    [Fact]
    public async Task Runbook_UnknownRollout_404ProblemSayingWhereToLook()
    {
        using var reviewer = await _factory.CreateClientForAsync("reviewer");

        using var response = await reviewer.GetAsync(new Uri("/api/rollouts/ro-missing/runbook", UriKind.Relative));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("GET /api/rollouts", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runbook_WithoutToken_401()
    {
        using var anonymous = _factory.CreateClient();

        using var response = await anonymous.GetAsync(new Uri("/api/rollouts/ro-any/runbook", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
