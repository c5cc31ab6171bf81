using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Serving.Inference;
using Xunit.Abstractions;

namespace ModelOps.Tests.Cluster;

/// <summary>
/// Two replicas (real child processes) on one PostgreSQL database: a routing change made through
/// one is served by the other within a second, routing keys land on the same version on both, and
/// the audit chain both wrote to at once still verifies.
/// </summary>
[Collection(ReplicaSet.Collection)]
public sealed class TwoReplicaRoutingTests(ITestOutputHelper output)
{
    private const string Model = "ctr-ranker";

    [Fact]
    public async Task RoutingChange_MadeOnReplicaA_IsServedByReplicaBWithinOneSecond()
    {
        await using var set = await ReplicaSet.CreateAsync();
        var a = await set.StartAsync("replica-a");
        var b = await set.StartAsync("replica-b");
        using var operatorA = await ClientAsync(a, "operator");
        using var reviewerB = await ClientAsync(b, "reviewer");
        var live = await GenerationAsync(reviewerB);

        var clock = await ChangeAsync(operatorA, live, candidatePercent: 30);
        var generation = await GenerationAsync(reviewerB);
        while (generation <= live && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(10);
            generation = await GenerationAsync(reviewerB);
        }

        output.WriteLine($"generation {live + 1} live on B {clock.Elapsed.TotalMilliseconds:F0} ms after A answered");
        Assert.Equal(live + 1, generation);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"B served the change {clock.Elapsed.TotalMilliseconds:F0} ms after A made it");
    }

    [Fact]
    public async Task RoutingKeys_SameSplitOnTwoReplicas_LandOnTheSameVersionOnBoth()
    {
        await using var set = await ReplicaSet.CreateAsync();
        var a = await set.StartAsync("replica-a");
        var b = await set.StartAsync("replica-b");
        using var operatorA = await ClientAsync(a, "operator");
        using var reviewerB = await ClientAsync(b, "reviewer");
        var live = await GenerationAsync(reviewerB);
        await ChangeAsync(operatorA, live, candidatePercent: 50);
        await WaitForGenerationAsync(reviewerB, live + 1);
        using var planeA = new HttpClient { BaseAddress = a.BaseAddress };
        using var planeB = new HttpClient { BaseAddress = b.BaseAddress };

        var keys = Enumerable.Range(0, 200).Select(i => string.Create(CultureInfo.InvariantCulture, $"user-{i}")).ToList();
        var onA = await Task.WhenAll(keys.Select(k => ServedVersionAsync(planeA, k)));
        var onB = await Task.WhenAll(keys.Select(k => ServedVersionAsync(planeB, k)));

        Assert.Equal(onA, onB);
        Assert.Equal([2, 3], onA.Distinct().Order());
    }

    [Fact]
    public async Task AuditChain_BothReplicasChangeRoutingAtOnce_VerifiesAndKeepsEveryAcceptedChange()
    {
        await using var set = await ReplicaSet.CreateAsync();
        var a = await set.StartAsync("replica-a");
        var b = await set.StartAsync("replica-b");
        using var operatorA = await ClientAsync(a, "operator");
        using var operatorB = await ClientAsync(b, "operator");
        using var reviewerA = await ClientAsync(a, "reviewer");

        // No expected generation: each change goes on top of what its replica has live, so some are refused (409) as stale.
        var changes = await Task.WhenAll(
            Enumerable.Range(0, 20).Select(i => PutAsync(operatorA, i)).Concat(Enumerable.Range(0, 20).Select(i => PutAsync(operatorB, i))));

        var accepted = changes.Count(s => s == HttpStatusCode.OK);
        Assert.All(changes, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        var applied = await reviewerA.GetFromJsonAsync<JsonElement>($"/api/audit?model={Model}&action=routing.applied&take=1000");
        var generations = applied.EnumerateArray().Select(r => r.GetProperty("details").GetProperty("table").GetProperty("generation").GetInt64()).ToList();
        Assert.Equal(generations.Count, generations.Distinct().Count());
        Assert.Equal(accepted, applied.EnumerateArray().Count(r => r.GetProperty("details").GetProperty("reason").GetString()!.StartsWith("concurrent ", StringComparison.Ordinal)));
        foreach (var replica in new[] { reviewerA, await ClientAsync(b, "reviewer") })
        {
            var verified = await replica.GetFromJsonAsync<JsonElement>("/api/audit/verify");
            Assert.True(verified.GetProperty("valid").GetBoolean(), $"audit chain: {verified}");
        }

        output.WriteLine($"{accepted} of {changes.Length} concurrent changes accepted");
    }

    private static async Task<HttpStatusCode> PutAsync(HttpClient client, int i)
    {
        var percent = 10 + (i % 5 * 10);
        using var response = await client.PutAsJsonAsync($"/api/models/{Model}/routing", new
        {
            weights = new[] { new { version = 2, percent = 100.0 - percent }, new { version = 3, percent = (double)percent } },
            baselineVersion = 2,
            candidateVersion = 3,
            reason = string.Create(CultureInfo.InvariantCulture, $"concurrent {i}"),
        });
        return response.StatusCode;
    }

    /// <summary>Applies a split on top of generation <paramref name="live"/>; the clock starts when the replica has answered (committed and live there).</summary>
    internal static async Task<Stopwatch> ChangeAsync(HttpClient client, long live, double candidatePercent)
    {
        using var response = await client.PutAsJsonAsync($"/api/models/{Model}/routing", new
        {
            weights = new[] { new { version = 2, percent = 100 - candidatePercent }, new { version = 3, percent = candidatePercent } },
            baselineVersion = 2,
            candidateVersion = 3,
            reason = "two-replica routing test",
            expectedGeneration = live,
        });
        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return clock;
    }

    internal static async Task<long> GenerationAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/models/{Model}/routing")).GetProperty("generation").GetInt64();

    internal static async Task WaitForGenerationAsync(HttpClient client, long generation)
    {
        var clock = Stopwatch.StartNew();
        while (await GenerationAsync(client) < generation)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"generation {generation} not live within 10 s");
            await Task.Delay(20);
        }
    }

    internal static async Task<HttpClient> ClientAsync(WebAppProcess replica, string user)
    {
        var client = new HttpClient { BaseAddress = replica.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ModelOpsAppFactory.GetTokenAsync(client, user));
        return client;
    }

    private static async Task<int> ServedVersionAsync(HttpClient plane, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/inference/{Model}/predict")
        {
            Content = JsonContent.Create(new { features = InferenceAppFixture.Features(userId: key) }),
        };
        request.Headers.Add("X-Routing-Key", key);
        using var response = await plane.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("modelVersion").GetInt32();
    }
}
