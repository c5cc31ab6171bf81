using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Tests.Infrastructure;
using Npgsql;

namespace ModelOps.Benchmarks.Cluster;

/// <summary>
/// <c>replicas [changes]</c>: two ModelOps replicas (child processes) on one PostgreSQL database
/// (<c>MODELOPS_TEST_POSTGRES</c>, else a throwaway cluster: <c>PostgresServer</c>). Measures how long a routing
/// change made on replica A takes to be live on replica B (p50/p99 over <c>changes</c>, default
/// 1,000; B is polled every 2 ms, so figures carry up to ~2 ms of polling and one HTTP round trip),
/// then how long after a SIGKILL of the replica running a rollout's job the other judges it.
/// </summary>
public static class ReplicasHarness
{
    public const string Command = "replicas";

    public static async Task RunAsync(string[] options)
    {
        var changes = options is [var n, ..] ? int.Parse(n, CultureInfo.InvariantCulture) : 1_000;
        var database = await PostgresServer.CreateDatabaseAsync("replicas");
        var artifacts = Path.Combine(Path.GetTempPath(), "modelops-replicas", Guid.NewGuid().ToString("N"));
        await using var a = await StartAsync(database, artifacts, "replica-a");
        await using var b = await StartAsync(database, artifacts, "replica-b");
        using var operatorA = await ClientAsync(a, "operator");
        using var reviewerB = await ClientAsync(b, "reviewer");

        var propagation = await RoutingPropagationAsync(operatorA, reviewerB, changes);
        propagation.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"routing change A → B over {changes} changes: p50 {Percentile(propagation, 0.50):F1} ms, p99 {Percentile(propagation, 0.99):F1} ms, max {propagation[^1]:F1} ms"));

        var (takenOver, judged) = await FailoverAsync(database, a, b, operatorA);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Quartz failover: the survivor fired the rollout's job {takenOver.TotalSeconds:F1} s after the SIGKILL and judged seconds past the kill {judged.TotalSeconds:F1} s after it (that look also waits for the killed replica to count as silent, ModelOps:Cluster:MetricsSilentSeconds)"));
    }

    private static async Task<List<double>> RoutingPropagationAsync(HttpClient operatorA, HttpClient reviewerB, int changes)
    {
        var result = new List<double>(changes);
        var generation = await GenerationAsync(reviewerB);
        for (var i = 0; i < changes; i++)
        {
            var percent = 10 + (i % 2 * 20);
            using (var response = await operatorA.PutAsJsonAsync("/api/models/ctr-ranker/routing", new
            {
                weights = new[] { new { version = 2, percent = 100.0 - percent }, new { version = 3, percent = (double)percent } },
                baselineVersion = 2,
                candidateVersion = 3,
                reason = "replicas harness",
                expectedGeneration = generation,
            }))
            {
                response.EnsureSuccessStatusCode();
            }

            var clock = Stopwatch.StartNew();
            generation++;
            while (await GenerationAsync(reviewerB) < generation)
            {
                await Task.Delay(2);
            }

            result.Add(clock.Elapsed.TotalMilliseconds);
        }

        return result;
    }

    private static async Task<(TimeSpan TakenOver, TimeSpan Judged)> FailoverAsync(string database, WebAppProcess a, WebAppProcess b, HttpClient operatorA)
    {
        using var started = await operatorA.PostAsJsonAsync("/api/rollouts", new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            strategy = "canary",
            steps = new[] { new { weight = 50.0, bakeSeconds = 600 } },
            guardrails = new object[] { new { metric = "error_rate", limit = 0.5, windowSeconds = 60, sustainSeconds = 2, severity = "hard", minSamples = 50 } },
        });
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        string? instance = null;
        while (instance is null)
        {
            await using var query = new NpgsqlCommand("SELECT instance_name FROM qrtz_fired_triggers WHERE job_name = @job LIMIT 1", connection);
            query.Parameters.AddWithValue("job", $"rollout-{id}");
            instance = await query.ExecuteScalarAsync() as string;
            await Task.Delay(2);
        }

        var (victim, survivor) = instance == "replica-a" ? (a, b) : (b, a);
        await victim.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var survivorName = survivor == a ? "replica-a" : "replica-b";
        TimeSpan? takenOver = null;
        using var reviewer = await ClientAsync(survivor, "reviewer");
        while (true)
        {
            if (takenOver is null)
            {
                await using var fired = new NpgsqlCommand("SELECT count(*) FROM qrtz_fired_triggers WHERE job_name = @job AND instance_name = @survivor", connection);
                fired.Parameters.AddWithValue("job", $"rollout-{id}");
                fired.Parameters.AddWithValue("survivor", survivorName);
                if ((long)(await fired.ExecuteScalarAsync())! > 0) // count(*) is never null
                {
                    takenOver = clock.Elapsed;
                }
            }

            var rollout = await reviewer.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}");
            if (rollout.GetProperty("evaluatedAt") is { ValueKind: JsonValueKind.String } at && at.GetDateTimeOffset() > killedAt)
            {
                return (takenOver ?? clock.Elapsed, clock.Elapsed);
            }

            await Task.Delay(20);
        }
    }

    private static async Task<WebAppProcess> StartAsync(string database, string artifacts, string name) =>
        await WebAppProcess.StartAsync(TimeSpan.FromSeconds(300), new Dictionary<string, string?>
        {
            ["ModelOps:Database:Provider"] = "Postgres",
            ["ConnectionStrings:ModelOps"] = database,
            ["ModelOps:Registry:ArtifactDirectory"] = artifacts,
            ["ModelOps:Cluster:InstanceId"] = name,
            ["ModelOps:Cluster:CheckinIntervalSeconds"] = "1",
            ["ModelOps:Gates:IntervalSeconds"] = "1",
        });

    private static async Task<long> GenerationAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/models/ctr-ranker/routing")).GetProperty("generation").GetInt64();

    private static async Task<HttpClient> ClientAsync(WebAppProcess replica, string user)
    {
        var client = new HttpClient { BaseAddress = replica.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var token = await client.PostAsJsonAsync("/api/auth/token", new { username = user, password = "modelops-demo" });
        token.EnsureSuccessStatusCode();
        var body = await token.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
        return client;
    }

    private static double Percentile(List<double> sorted, double q) => sorted[(int)Math.Ceiling(q * sorted.Count) - 1];
}
