using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Cluster;

/// <summary>
/// How replicas start on one PostgreSQL database (real child processes): two started at the same
/// moment on an empty database migrate it and seed it once, not twice and not with one of them
/// failing; and the data-protection keys decide whether one replica accepts another's API token —
/// refused with keys of its own, accepted with the keys folder shared (as the README asks).
/// </summary>
[Collection(ReplicaSet.Collection)]
public sealed class ReplicaStartTests
{
    private const string Model = "ctr-ranker";

    [Fact]
    public async Task TwoReplicas_StartedAtOnceOnAnEmptyDatabase_BothServeOneSeededRegistry()
    {
        await using var set = await ReplicaSet.CreateAsync();

        var started = await Task.WhenAll(set.StartAsync("replica-a"), set.StartAsync("replica-b"));

        using var reviewerA = await TwoReplicaRoutingTests.ClientAsync(started[0], "reviewer");
        using var reviewerB = await TwoReplicaRoutingTests.ClientAsync(started[1], "reviewer");
        var versionsA = await VersionsAsync(reviewerA);
        Assert.NotEmpty(versionsA);
        Assert.Equal(versionsA.Count, versionsA.Distinct().Count());
        Assert.Equal(versionsA, await VersionsAsync(reviewerB));
        var registered = await reviewerA.GetFromJsonAsync<JsonElement>($"/api/audit?model={Model}&action=version.registered&take=1000");
        Assert.Equal(versionsA.Count, registered.GetArrayLength());
        var verified = await reviewerB.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(verified.GetProperty("valid").GetBoolean(), $"audit chain: {verified}");

        // Each has its own keys here: a token one issued is not the other's to accept.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithTokenAsync(started[1], reviewerA));
    }

    [Fact]
    public async Task SharedKeysFolder_ATokenIssuedByOneReplica_IsAcceptedByTheOther()
    {
        var set = await ReplicaSet.CreateAsync();
        var directoryB = Path.Combine(Path.GetTempPath(), "modelops-replicas", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directoryB);
        try
        {
            var a = await set.StartAsync("replica-a");

            // As one folder mounted as every replica's keys.
            Directory.CreateSymbolicLink(Path.Combine(directoryB, "keys"), Path.Combine(a.DataDirectory, "keys"));
            var b = await set.StartAsync("replica-b", dataDirectory: directoryB);
            using var operatorA = await TwoReplicaRoutingTests.ClientAsync(a, "operator");

            Assert.Equal(HttpStatusCode.OK, await StatusWithTokenAsync(b, operatorA));
        }
        finally
        {
            await set.DisposeAsync();
            Directory.Delete(directoryB, recursive: true);
        }
    }

    private static async Task<List<int>> VersionsAsync(HttpClient client)
    {
        var versions = await client.GetFromJsonAsync<JsonElement>($"/api/models/{Model}/versions");
        return [.. versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()).Order()];
    }

    /// <summary>GET /api/models on <paramref name="replica"/> with the bearer token <paramref name="holder"/> carries.</summary>
    private static async Task<HttpStatusCode> StatusWithTokenAsync(WebAppProcess replica, HttpClient holder)
    {
        using var client = new HttpClient { BaseAddress = replica.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", holder.DefaultRequestHeaders.Authorization!.Parameter);
        using var response = await client.GetAsync(new Uri("/api/models", UriKind.Relative));
        return response.StatusCode;
    }
}
