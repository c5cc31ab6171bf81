using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Serving.Routing;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Rollouts.Engine;

/// <summary>Starts rollouts of the demo's v3 and sends it real prediction traffic until the rollout reaches a state.</summary>
internal static class RolloutDriver
{
    public static async Task<string> StartAsync(HttpClient client, object plan)
    {
        using var started = await client.PostAsJsonAsync("/api/rollouts", plan);
        var body = await started.Content.ReadAsStringAsync();
        Assert.True(started.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Polls the rollout (sending traffic when <paramref name="traffic"/>) until <paramref name="done"/> holds or the time is up; returns it as last read.</summary>
    /// <param name="clickRate">When set, every answer gets a feedback outcome (1 with this probability, seeded per worker).</param>
    public static async Task<JsonElement> UntilAsync(
        InferenceAppFixture app, HttpClient client, string id, Func<JsonElement, bool> done, TimeSpan timeout, bool traffic = true, double? clickRate = null)
    {
        using var stop = new CancellationTokenSource(timeout);
        var workers = traffic
            ? Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
            {
                var random = new Random(worker);
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    using var response = await app.Client.PostAsJsonAsync("/inference/ctr-ranker/predict", new { features = InferenceAppFixture.Features(hour: i % 24, userId: $"u{worker}-{i}") }, CancellationToken.None);
                    if (clickRate is { } rate && response.IsSuccessStatusCode)
                    {
                        var requestId = (await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None)).GetProperty("requestId").GetString();
                        using var feedback = await app.Client.PostAsJsonAsync("/inference/feedback", new { requestId, outcome = random.NextDouble() < rate ? 1.0 : 0.0 }, CancellationToken.None);
                    }
                }
            })).ToList()
            : [];
        JsonElement rollout;
        do
        {
            await Task.Delay(200, CancellationToken.None);
            rollout = await client.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}");
        }
        while (!done(rollout) && !stop.IsCancellationRequested);

        await stop.CancelAsync();
        await Task.WhenAll(workers);
        return rollout;
    }

    public static bool IsIn(JsonElement rollout, string state) => rollout.GetProperty("state").GetString() == state;

    /// <summary>
    /// The demo model's routable versions once they equal <paramref name="expected"/>, or as they are
    /// after 5 s: a decision is visible as soon as it commits, and its swap follows it (milliseconds,
    /// longer on a loaded machine).
    /// </summary>
    public static async Task<IReadOnlyList<int>> RoutedWhenSettledAsync(InferenceAppFixture app, params int[] expected)
    {
        var router = app.Factory.Services.GetRequiredService<ITrafficRouter>();
        for (var attempt = 0; attempt < 100 && !router.Current("ctr-ranker")!.RoutableVersions.SequenceEqual(expected); attempt++)
        {
            await Task.Delay(50);
        }

        return router.Current("ctr-ranker")!.RoutableVersions;
    }
}
