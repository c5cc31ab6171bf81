using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Rollouts.Preflight;

/// <summary>Preflight through the API on the demo models: v2 is the champion, v3 shares its encoder, v1 has another encoder and width.</summary>
public sealed class RolloutPreflightApiTests(InferenceAppFixture app) : IClassFixture<InferenceAppFixture>
{
    [Fact]
    public async Task Preflight_V3AgainstChampionWithinTheOfflineDrop_AllChecksPass()
    {
        using var client = await app.Factory.CreateClientForAsync("operator");

        using var response = await client.PostAsJsonAsync("/api/rollouts/preflight", Plan(3, offlineDrop: 0.05));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(body.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("ok").GetBoolean(), c.ToString()));
        Assert.Contains(body.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "offline.auc");
    }

    [Fact]
    public async Task Preflight_V1WithAnotherSignature_Is409ListingEveryFailedCheck()
    {
        using var client = await app.Factory.CreateClientForAsync("operator");

        using var response = await client.PostAsJsonAsync("/api/rollouts/preflight", Plan(1, offlineDrop: 0.0));
        var failed = await FailedChecksAsync(response);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("signature", failed);
        Assert.Contains("offline.auc", failed); // v1's auc 0.721 is below v2's 0.732 with no drop allowed
        Assert.DoesNotContain("candidate.registered", failed);
    }

    [Fact]
    public async Task Preflight_WorseOfflineMetricThanAllowed_NamesTheMetric()
    {
        using var client = await app.Factory.CreateClientForAsync("operator");

        using var response = await client.PostAsJsonAsync("/api/rollouts/preflight", Plan(3, offlineDrop: 0.01));

        Assert.Equal(["offline.auc"], await FailedChecksAsync(response));
    }

    [Fact]
    public async Task Preflight_PlanWithoutGuardrails_Is400NamingTheField()
    {
        using var client = await app.Factory.CreateClientForAsync("operator");

        using var response = await client.PostAsJsonAsync("/api/rollouts/preflight", new { model = "ctr-ranker", candidateVersion = 3, owner = "me", steps = new[] { new { weight = 100 } } });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("guardrails", problem.GetProperty("field").GetString());
    }

    private static object Plan(int candidate, double offlineDrop) => new
    {
        model = "ctr-ranker",
        candidateVersion = candidate,
        strategy = "canary",
        owner = "ml-platform",
        steps = new[] { new { weight = 5.0, bakeSeconds = 60 }, new { weight = 100.0, bakeSeconds = 300 } },
        guardrails = GuardrailTemplates.Default.Cast<object>().Append(new { metric = "offline_auc", threshold = offlineDrop, severity = "hard" }),
    };

    private static async Task<List<string>> FailedChecksAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. body.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("ok").GetBoolean()).Select(c => c.GetProperty("name").GetString()!)];
    }
}
