using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Core.Demo;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Rollouts.Engine;

namespace ModelOps.Tests.Incidents.Replay;

/// <summary>A canary of the demo's v3 at 50 %, real prediction traffic over every hour, device and region, then a manual rollback: an incident whose replay has rows.</summary>
internal static class ReplayTraffic
{
    public static object Features(int i) => new Dictionary<string, object?>
    {
        ["hour"] = i % 24,
        ["device"] = ClickWorld.Devices[i % 3],
        ["region"] = ClickWorld.Regions[(i / 3) % 3],
        ["item_popularity"] = (i % 10) / 10.0,
        ["user_tenure_days"] = 30 + (i % 700),
        ["user_id"] = $"u{i}",
    };

    public static async Task<string> RollBackAfterTrafficAsync(HttpClient anonymous, HttpClient operatorClient, int requests)
    {
        var id = await RolloutDriver.StartAsync(operatorClient, new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            steps = new[] { new { weight = 50.0, bakeSeconds = 3_600 } },
            guardrails = new object[] { new { metric = "error_rate", limit = 0.5, windowSeconds = 60, sustainSeconds = 2, severity = "hard" } },
        });
        for (var i = 0; i < requests; i++)
        {
            using var response = await anonymous.PostAsJsonAsync(
                "/inference/ctr-ranker/predict", new { features = Features(i), region = ClickWorld.Regions[i % 3], routingKey = $"k{i}" });
            response.EnsureSuccessStatusCode();
        }

        // The log writer flushes every 200 ms: let the last answers land before the decision.
        await Task.Delay(1_000);
        using var rolledBack = await operatorClient.PostAsJsonAsync($"/api/rollouts/{id}/rollback", new { reason = "replay test" });
        rolledBack.EnsureSuccessStatusCode();
        return (await rolledBack.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rollout").GetProperty("incidentId").GetString()!;
    }

    /// <summary>Polls the incident until its replay satisfies <paramref name="done"/>; returns <c>evidence.replay</c>.</summary>
    public static async Task<JsonElement> UntilAsync(HttpClient client, string incidentId, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        using var stop = new CancellationTokenSource(timeout);
        while (true)
        {
            var incident = await client.GetFromJsonAsync<JsonElement>($"/api/incidents/{incidentId}", CancellationToken.None);
            var replay = incident.GetProperty("evidence").GetProperty("replay");
            if (done(replay) || stop.IsCancellationRequested)
            {
                return replay;
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    public static string Status(JsonElement replay) => replay.GetProperty("status").GetString()!;

    public static ModelOpsAppFactory App(params (string Key, string Value)[] settings)
    {
        var factory = new ModelOpsAppFactory();
        factory.Settings["ModelOps:Incidents:Replay:PollSeconds"] = "1";
        foreach (var (key, value) in settings)
        {
            factory.Settings[key] = value;
        }

        return factory;
    }
}
