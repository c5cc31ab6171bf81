using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf;
using ModelOps.Core.Demo;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Inference.Onnx.Protos;
using ModelOps.Web.Identity;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// The rollout API as an operator's pipeline calls it, for the HTTP sections: a bearer token for
/// the demo operator, candidate versions registered over HTTP, rollouts started and rolled back.
/// Its own connection, apart from the inference load's.
/// </summary>
public sealed class RolloutApiClient : IDisposable
{
    public const string Model = DemoModelFamily.ModelName;

    private readonly HttpClient _client;

    private RolloutApiClient(HttpClient client) => _client = client;

    public static async Task<RolloutApiClient> ConnectAsync(Uri baseAddress)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var response = await client.PostAsJsonAsync("/api/auth/token", new TokenRequest("operator", "modelops-demo"));
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>())!.Token; // a 200 always has a body
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new RolloutApiClient(client);
    }

    /// <summary>
    /// Registers <paramref name="count"/> new versions that serve exactly as v3 (its artifact with a
    /// distinct doc string, so each has its own digest): a rollback freezes its candidate until its
    /// incident is closed, so every rollout needs a fresh one, as a pipeline's next build would be.
    /// </summary>
    public async Task<IReadOnlyList<int>> RegisterCandidatesAsync(int count, string label)
    {
        var artifact = await _client.GetByteArrayAsync(new Uri($"/api/models/{Model}/versions/3/artifact", UriKind.Relative));
        var versions = new List<int>(count);
        for (var i = 0; i < count; i++)
        {
            var model = ModelProto.Parser.ParseFrom(artifact);
            model.DocString = $"rollback-restore harness {label} candidate {i} ({Guid.NewGuid():N})";
            using var form = new MultipartFormDataContent
            {
                { new ByteArrayContent(model.ToByteArray()), "artifact", "candidate.onnx" },
                { new StringContent("ctr-features@2"), "encoderVersion" },
                { new StringContent($"rollback-restore {label} {i}"), "description" },
            };
            using var response = await _client.PostAsync(new Uri($"/api/models/{Model}/versions", UriKind.Relative), form);
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Registering candidate {i} failed: {(int)response.StatusCode} {body}");
            }

            versions.Add(JsonDocument.Parse(body).RootElement.GetProperty("version").GetInt32());
        }

        return versions;
    }

    /// <summary>POST /api/rollouts: a canary of <paramref name="candidate"/> at <paramref name="weight"/> % baking for an hour; returns its id.</summary>
    public async Task<string> StartAsync(int candidate, double weight)
    {
        var request = new RolloutRequest(Model, candidate, "canary", [new StepRequest(weight, 3_600, null)],
            GuardrailTemplates.Default, null, 2, "harness", null, null, null, null);
        using var response = await _client.PostAsJsonAsync("/api/rollouts", request);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!
            : throw new InvalidOperationException($"Starting a rollout of v{candidate} failed: {(int)response.StatusCode} {body}");
    }

    /// <summary>POST /api/rollouts/{id}/rollback; returns the call's own milliseconds and the rollout as answered.</summary>
    public async Task<(double CallMs, JsonElement Rollout)> RollbackAsync(string id, string reason)
    {
        var sent = Stopwatch.GetTimestamp();
        using var response = await _client.PostAsJsonAsync($"/api/rollouts/{id}/rollback", new { reason });
        var body = await response.Content.ReadAsStringAsync();
        var callMs = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
        return response.IsSuccessStatusCode
            ? (callMs, JsonDocument.Parse(body).RootElement.GetProperty("rollout").Clone())
            : throw new InvalidOperationException($"Rolling back {id} failed: {(int)response.StatusCode} {body}");
    }

    public async Task<JsonElement> GetAsync(string id)
    {
        using var response = await _client.GetAsync(new Uri($"/api/rollouts/{id}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public void Dispose() => _client.Dispose();
}
