using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Tests.Rollouts.Engine;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Incidents.Verification;

/// <summary>
/// The demo's v3 as a 50 % canary behind a hard p95 limit of 100 ms, with a 10 s verification
/// window; chaos adds 150 ms to v3, the real judge rolls it back, and real traffic keeps flowing
/// to the rollback target (v2) while the incident is verified.
/// </summary>
internal static class IncidentScenario
{
    public const double LimitMs = 100;
    public const int FaultMs = 150;

    public static object Plan(int verificationSeconds = 10) => new
    {
        model = "ctr-ranker",
        candidateVersion = 3,
        owner = "ml-platform",
        steps = new[] { new { weight = 50.0, bakeSeconds = 600 } },
        guardrails = new object[] { new { metric = "latency_p95", limit = LimitMs, windowSeconds = 60, sustainSeconds = 2, severity = "hard" } },
        verification = new { withinSeconds = verificationSeconds },
    };

    /// <summary>Starts the canary, slows v3 down and sends traffic until the judge has rolled it back; returns the rollout and its incident.</summary>
    public static async Task<(string RolloutId, string IncidentId)> RollBackAsync(InferenceAppFixture app, HttpClient client, int verificationSeconds = 10)
    {
        var id = await RolloutDriver.StartAsync(client, Plan(verificationSeconds));
        await InjectLatencyAsync(client, version: 3);
        var rollout = await RolloutDriver.UntilAsync(app, client, id, r => RolloutDriver.IsIn(r, "rolledBack"), TimeSpan.FromSeconds(45));
        Assert.True(RolloutDriver.IsIn(rollout, "rolledBack"), $"not rolled back: {rollout}");
        var settled = await client.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}");
        return (id, settled.GetProperty("incidentId").GetString()!);
    }

    public static async Task InjectLatencyAsync(HttpClient client, int version)
    {
        using var chaos = await client.PostAsJsonAsync("/api/chaos", new { model = "ctr-ranker", version, addedLatencyMs = FaultMs });
        Assert.Equal(HttpStatusCode.OK, chaos.StatusCode);
    }

    public static async Task ClearFaultsAsync(HttpClient client)
    {
        using var cleared = await client.DeleteAsync(new Uri("/api/chaos", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
    }

    /// <summary>Sends prediction traffic until the incident's verification has a result (or the time is up); returns the incident as last read.</summary>
    public static async Task<JsonElement> TrafficUntilVerifiedAsync(InferenceAppFixture app, HttpClient client, string incidentId, TimeSpan timeout)
    {
        using var stop = new CancellationTokenSource(timeout);
        var workers = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                using var response = await app.Client.PostAsJsonAsync("/inference/ctr-ranker/predict", new { features = InferenceAppFixture.Features(hour: i % 24, userId: $"v{worker}-{i}") }, CancellationToken.None);
            }
        })).ToList();
        JsonElement incident;
        do
        {
            await Task.Delay(250, CancellationToken.None);
            incident = await client.GetFromJsonAsync<JsonElement>($"/api/incidents/{incidentId}");
        }
        while (Verification(incident).GetProperty("status").GetString() == "pending" && !stop.IsCancellationRequested);

        await stop.CancelAsync();
        await Task.WhenAll(workers);
        return incident;
    }

    public static JsonElement Verification(JsonElement incident) => incident.GetProperty("verification");

    /// <summary>The buckets of one arm of <c>evidence.series</c>.</summary>
    public static IReadOnlyList<JsonElement> Buckets(JsonElement incident, string arm) =>
        [.. incident.GetProperty("evidence").GetProperty("series").GetProperty("arms").EnumerateArray()
            .Where(a => a.GetProperty("arm").GetString() == arm)
            .SelectMany(a => a.GetProperty("buckets").EnumerateArray())];
}
