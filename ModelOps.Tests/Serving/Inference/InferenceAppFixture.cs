using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Inference;

/// <summary>One real app with the demo registry seeded (ctr-ranker v1-v3, champion v2), simulator off, ctr-ranker calibrated online.</summary>
public sealed class InferenceAppFixture : IAsyncLifetime
{
    public ModelOpsAppFactory Factory { get; } = new();

    public HttpClient Client { get; private set; } = null!; // Set in InitializeAsync before any test runs.

    public static object Features(int hour = 21, string device = "mobile", string userId = "u000001") => new Dictionary<string, object?>
    {
        ["hour"] = hour,
        ["device"] = device,
        ["region"] = "eu",
        ["item_popularity"] = 0.6,
        ["user_tenure_days"] = 120,
        ["user_id"] = userId,
    };

    public async Task InitializeAsync()
    {
        // These tests exercise online calibration on the demo model (snapshots, restore, calibrated
        // scores); the shipped settings leave it off so the night demo serves raw scores.
        Factory.Settings["ModelOps:Inference:Calibration:Models:0"] = "ctr-ranker";
        Client = Factory.CreateClient();
        using var ready = await Client.GetAsync(new Uri("/v2/health/ready", UriKind.Relative));
        ready.EnsureSuccessStatusCode();
    }

    public async Task<JsonElement> PredictAsync(object body)
    {
        using var response = await Client.PostAsJsonAsync("/inference/ctr-ranker/predict", body);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
