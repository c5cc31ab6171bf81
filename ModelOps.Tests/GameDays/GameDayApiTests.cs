using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Rollouts.Engine;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.GameDays;

/// <summary>What <c>POST /api/gamedays</c> refuses, through the real app: bad input, unknown versions, a live rollout, the wrong role.</summary>
public sealed class GameDayApiTests : IClassFixture<InferenceAppFixture>
{
    private readonly InferenceAppFixture _app;

    public GameDayApiTests(InferenceAppFixture app) => _app = app;

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{ "version": 3, "fault": { "addedLatencyMs": 20 } }""", "model" },
        { """{ "model": "ctr-ranker", "fault": { "addedLatencyMs": 20 } }""", "version" },
        { """{ "model": "ctr-ranker", "version": 3 }""", "fault" },
        { """{ "model": "ctr-ranker", "version": 3, "fault": { "kpiFactor": 1 } }""", "fault" },
        { """{ "model": "ctr-ranker", "version": 3, "fault": { "errorRate": 2 } }""", "fault.errorRate" },
        { """{ "model": "ctr-ranker", "version": 3, "fault": { "addedLatencyMs": -5 } }""", "fault.addedLatencyMs" },
        { """{ "model": "ctr-ranker", "version": 3, "fault": { "addedLatencyMs": 20 }, "plan": { "strategy": "shadow" } }""", "plan.strategy" },
        { """{ "model": "ctr-ranker", "version": 3, "fault": { "addedLatencyMs": 20 }, "plan": { "steps": [{ "weight": 150 }] } }""", "plan.steps[0].weight" },
        { """{ "model": "ctr-ranker", "version": 2, "fault": { "addedLatencyMs": 20 } }""", "version" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Start_InvalidBody_ProblemNamingTheField(string body, string field)
    {
        using var client = await _app.Factory.CreateClientForAsync("operator");

        using var response = await client.PostAsync(new Uri("/api/gamedays", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("no-such-model", 1, "no-such-model")]
    [InlineData("ctr-ranker", 99, "version 99")]
    public async Task Start_UnknownModelOrVersion_NotFoundNamingIt(string model, int version, string named)
    {
        using var client = await _app.Factory.CreateClientForAsync("operator");

        using var response = await client.PostAsJsonAsync("/api/gamedays", new { model, version, fault = new { addedLatencyMs = 20 } });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reviewer")]
    [InlineData("approver")]
    public async Task Start_WithoutOperatorRole_Forbidden(string user)
    {
        using var client = await _app.Factory.CreateClientForAsync(user);

        using var response = await client.PostAsJsonAsync("/api/gamedays", new { model = "ctr-ranker", version = 3, fault = new { addedLatencyMs = 20 } });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task List_AsReviewer_Allowed()
    {
        using var client = await _app.Factory.CreateClientForAsync("reviewer");

        using var response = await client.GetAsync(new Uri("/api/gamedays", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_UnknownId_NotFound()
    {
        using var client = await _app.Factory.CreateClientForAsync("reviewer");

        using var response = await client.GetAsync(new Uri("/api/gamedays/gd-nope", UriKind.Relative));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Start_RealRolloutActiveOnTheModel_ConflictNamingIt()
    {
        using var client = await _app.Factory.CreateClientForAsync("operator");
        var rolloutId = await RolloutDriver.StartAsync(client, new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            steps = new[] { new { weight = 10.0, bakeSeconds = 600 } },
            guardrails = new object[] { new { metric = "error_rate", limit = 0.5, windowSeconds = 60, sustainSeconds = 2, severity = "hard" } },
        });
        try
        {
            using var response = await client.PostAsJsonAsync("/api/gamedays", new { model = "ctr-ranker", version = 3, fault = new { addedLatencyMs = 20 } });

            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
            Assert.Contains(rolloutId, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            var drills = await client.GetFromJsonAsync<List<JsonElement>>("/api/gamedays");
            Assert.Empty(drills!);
        }
        finally
        {
            using var rolledBack = await client.PostAsJsonAsync($"/api/rollouts/{rolloutId}/rollback", new { reason = "test cleanup" });
        }
    }
}
