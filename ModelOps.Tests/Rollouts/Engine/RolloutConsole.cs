using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Rollouts.Engine;

/// <summary>
/// What the crash and restart tests ask of one running child app over HTTP, as an operator (commands), a
/// reviewer (reads: rollouts, routing, audit, incidents) and an anonymous caller of the inference
/// plane (traffic). A new console per process: tokens are not assumed to survive a restart.
/// </summary>
internal sealed class RolloutConsole : IDisposable
{
    public const string Model = "ctr-ranker";

    private readonly HttpClient _operator;
    private readonly HttpClient _reviewer;
    private readonly HttpClient _plane;

    private RolloutConsole(HttpClient @operator, HttpClient reviewer, HttpClient plane) =>
        (_operator, _reviewer, _plane) = (@operator, reviewer, plane);

    public static async Task<RolloutConsole> ConnectAsync(WebAppProcess app)
    {
        var plane = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        return new RolloutConsole(await ClientForAsync(app.BaseAddress, "operator"), await ClientForAsync(app.BaseAddress, "reviewer"), plane);
    }

    /// <summary>
    /// A canary of v3 on ctr-ranker (rollback target v2, the champion) with the given steps and
    /// rollback; its one guardrail (errors under 50 %) and the sample-ratio check pass on healthy traffic.
    /// </summary>
    public static object CanaryPlan(object[] steps, object? rollback = null) => new
    {
        model = Model,
        candidateVersion = 3,
        owner = "ml-platform",
        strategy = "canary",
        steps,
        guardrails = new object[]
        {
            new { metric = "error_rate", limit = 0.5, windowSeconds = 60, sustainSeconds = 2, severity = "hard", minSamples = 50 },
        },
        rollback,
    };

    /// <summary>Starts a rollout (a plan such as <see cref="CanaryPlan"/>); returns its id.</summary>
    public Task<string> StartAsync(object plan) => RolloutDriver.StartAsync(_operator, plan);

    public Task<(HttpStatusCode Status, JsonElement Body)> RollBackAsync(string id, string reason) => CommandAsync(id, "rollback", reason);

    public Task<(HttpStatusCode Status, JsonElement Body)> PromoteAsync(string id, string reason) => CommandAsync(id, "promote", reason);

    /// <summary>Moves the champion alias (serving follows it when no rollout holds a candidate).</summary>
    public async Task<HttpStatusCode> MoveChampionAsync(int version, string reason)
    {
        using var response = await _operator.PutAsJsonAsync($"/api/models/{Model}/aliases/champion", new { version, reason });
        return response.StatusCode;
    }

    /// <summary>An operator's own split: v3 at <paramref name="candidatePercent"/> %, the rest on v2 (PUT routing).</summary>
    public async Task<HttpStatusCode> RouteAsync(double candidatePercent, string reason)
    {
        var weights = new[] { new { version = 2, percent = 100 - candidatePercent }, new { version = 3, percent = candidatePercent } };
        using var response = await _operator.PutAsJsonAsync($"/api/models/{Model}/routing", new { weights, baselineVersion = 2, candidateVersion = 3, reason });
        return response.StatusCode;
    }

    public async Task<int> ChampionAsync()
    {
        var models = await _reviewer.GetFromJsonAsync<JsonElement>("/api/models");
        return models.EnumerateArray().Single(m => m.GetProperty("name").GetString() == Model).GetProperty("aliases").GetProperty("champion").GetInt32();
    }

    public Task<JsonElement> RolloutAsync(string id) => _reviewer.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}");

    /// <summary>The ctr-ranker split with the candidate (v3) at <paramref name="candidatePercent"/>, as <see cref="RoutingAsync"/> writes it.</summary>
    public static string Split(double candidatePercent) => Describe([(2, 100 - candidatePercent), (3, candidatePercent)]);

    /// <summary>The live routing table's default weights, e.g. "v2 75%, v3 25%" (versions at 0 % left out).</summary>
    public async Task<string> RoutingAsync()
    {
        var table = await _reviewer.GetFromJsonAsync<JsonElement>($"/api/models/{Model}/routing");
        return Describe([.. table.GetProperty("weights").EnumerateArray().Select(w => (w.GetProperty("version").GetInt32(), w.GetProperty("percent").GetDouble()))]);
    }

    /// <summary>
    /// The live split once it is <paramref name="expected"/>, or as it is after 5 s: a decision
    /// commits before its swap, so right after a state change the table may lag it by a moment.
    /// </summary>
    public async Task<string> RoutingSettledAsync(string expected)
    {
        var routed = await RoutingAsync();
        for (var attempt = 0; attempt < 50 && routed != expected; attempt++)
        {
            await Task.Delay(100);
            routed = await RoutingAsync();
        }

        return routed;
    }

    /// <summary>The model's audit rows whose action starts with <paramref name="action"/>, oldest first.</summary>
    public async Task<IReadOnlyList<JsonElement>> AuditAsync(string action)
    {
        var rows = await _reviewer.GetFromJsonAsync<JsonElement>($"/api/audit?model={Model}&action={Uri.EscapeDataString(action)}&take=1000");
        return [.. rows.EnumerateArray().OrderBy(r => r.GetProperty("seq").GetInt64())];
    }

    /// <summary>The rollout's own audit actions (started, advanced, rolledBack…), oldest first.</summary>
    public async Task<IReadOnlyList<string>> RolloutActionsAsync(string id) =>
        [.. (await AuditAsync("rollout.")).Where(r => r.GetProperty("target").GetString() == $"rollout:{id}").Select(r => r.GetProperty("action").GetString()!)];

    /// <summary>Routing changes whose reason contains <paramref name="reasonPart"/>.</summary>
    public async Task<IReadOnlyList<JsonElement>> RoutingChangesAsync(string reasonPart) =>
        [.. (await AuditAsync("routing.applied")).Where(r => r.GetProperty("details").GetProperty("reason").GetString()!.Contains(reasonPart, StringComparison.Ordinal))];

    public Task<JsonElement> VerifyAuditAsync() => _reviewer.GetFromJsonAsync<JsonElement>("/api/audit/verify");

    public async Task<IReadOnlyList<JsonElement>> IncidentsOfAsync(string rolloutId)
    {
        var incidents = await _reviewer.GetFromJsonAsync<JsonElement>("/api/incidents");
        return [.. incidents.EnumerateArray().Where(i => i.GetProperty("rolloutId").GetString() == rolloutId)];
    }

    /// <summary>Polls the rollout until <paramref name="condition"/> holds; fails with the last state seen.</summary>
    public async Task<JsonElement> WaitForAsync(string id, Func<JsonElement, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var rollout = await RolloutAsync(id);
            if (condition(rollout))
            {
                return rollout;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{what}: not within {timeout.TotalSeconds:F0} s; last seen {rollout}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Predictions from <paramref name="workers"/> callers until <paramref name="stop"/> is cancelled;
    /// returns the versions that answered. A worker ends when its connection fails: the test killed the process.
    /// </summary>
    public async Task<IReadOnlyList<int>> DriveTrafficAsync(int workers, CancellationToken stop)
    {
        var served = new List<int>[workers];
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            served[worker] = [];
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    var features = InferenceAppFixture.Features(hour: i % 24, userId: string.Create(CultureInfo.InvariantCulture, $"u{worker}-{i}"));
                    using var response = await _plane.PostAsJsonAsync($"/inference/{Model}/predict", new { features }, stop);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    served[worker].Add((await response.Content.ReadFromJsonAsync<JsonElement>(stop)).GetProperty("modelVersion").GetInt32());
                }
                catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
                {
                    // Killed or stopped: this caller is done.
                    break;
                }
            }
        }, CancellationToken.None)));
        return [.. served.SelectMany(s => s)];
    }

    public void Dispose()
    {
        _operator.Dispose();
        _reviewer.Dispose();
        _plane.Dispose();
    }

    /// <summary>POST /api/rollouts/{id}/{verb} as the operator: the status and the body (problem+json when refused).</summary>
    private async Task<(HttpStatusCode Status, JsonElement Body)> CommandAsync(string id, string verb, string reason)
    {
        using var response = await _operator.PostAsJsonAsync($"/api/rollouts/{id}/{verb}", new { reason });
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string Describe(IEnumerable<(int Version, double Percent)> weights) =>
        string.Join(", ", weights.Where(w => w.Percent > 0).OrderBy(w => w.Version).Select(w => string.Create(CultureInfo.InvariantCulture, $"v{w.Version} {w.Percent:0.##}%")));

    private static async Task<HttpClient> ClientForAsync(Uri baseAddress, string user)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ModelOpsAppFactory.GetTokenAsync(client, user));
        return client;
    }
}
