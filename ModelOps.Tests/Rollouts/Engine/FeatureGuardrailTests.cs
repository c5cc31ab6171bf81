using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Rollouts.Engine;

/// <summary>
/// The distribution guardrails judged on live traffic through the real app: <c>null_rate</c> on
/// what each arm served, <c>drift_psi</c> on what the candidate served against a reference the
/// judge took from the rollback target's traffic before the rollout started (kept in the stored
/// judge state), and <c>score_psi</c> on both arms' served scores. Before these were wired to the
/// metrics store they stayed insufficientData with no samples, whatever was served.
/// </summary>
public sealed class FeatureGuardrailTests : IAsyncLifetime
{
    private readonly InferenceAppFixture _app = new();
    private HttpClient _operator = null!; // Set in InitializeAsync.

    public async Task InitializeAsync()
    {
        _app.Factory.Settings["ModelOps:Gates:IntervalSeconds"] = "1";
        await _app.InitializeAsync();
        _operator = await _app.Factory.CreateClientForAsync("operator");
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task NullRateDriftAndScorePsi_OnLiveTraffic_AreJudged_DriftAgainstAPreRolloutReference()
    {
        // The rollback target's traffic before the rollout: the drift reference.
        var before = 0;
        for (var i = 0; i < 300; i++)
        {
            using var response = await _app.Client.PostAsJsonAsync("/inference/ctr-ranker/predict", new { features = InferenceAppFixture.Features(hour: i % 24, userId: $"pre-{i}") });
            response.EnsureSuccessStatusCode();
            before++;
        }

        await Task.Delay(TimeSpan.FromSeconds(1.1)); // the last pre-rollout second complete
        var id = await RolloutDriver.StartAsync(_operator, new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            steps = new[] { new { weight = 50.0, bakeSeconds = 600 } },
            guardrails = new object[]
            {
                new { metric = "null_rate", feature = "item_popularity", threshold = 0.05, windowSeconds = 60, sustainSeconds = 10, severity = "hard", minSamples = 20 },
                new { metric = "drift_psi", feature = "item_popularity", threshold = 0.2, windowSeconds = 300, sustainSeconds = 10, severity = "soft", minSamples = 20 },
                new { metric = "score_psi", threshold = 0.2, windowSeconds = 300, sustainSeconds = 10, severity = "soft", minSamples = 20 },
            },
        });

        var rollout = await RolloutDriver.UntilAsync(_app, _operator, id, r => Judged(r, "null_rate") && Judged(r, "drift_psi") && Judged(r, "score_psi"), TimeSpan.FromSeconds(60));

        var nulls = Guardrail(rollout, "null_rate");
        Assert.True(Judged(rollout, "null_rate"), $"null_rate: {nulls}");
        Assert.Equal("pass", nulls.GetProperty("status").GetString());
        Assert.Equal(0, nulls.GetProperty("candidate").GetDouble()); // every request carried the feature
        var drift = Guardrail(rollout, "drift_psi");
        Assert.True(Judged(rollout, "drift_psi"), $"drift_psi: {drift}");
        var reference = drift.GetProperty("samples").GetProperty("baseline").GetInt64();
        Assert.InRange(reference, 20, before); // the pre-rollout requests (not those served during the rollout)
        Assert.Equal("pass", drift.GetProperty("status").GetString()); // the same feature values before and after
        var scores = Guardrail(rollout, "score_psi");
        Assert.True(Judged(rollout, "score_psi"), $"score_psi: {scores}");
        Assert.True(scores.GetProperty("samples").GetProperty("baseline").GetInt64() > 0, $"score_psi: {scores}");
        Assert.Equal(JsonValueKind.Number, scores.GetProperty("candidate").ValueKind); // the PSI itself
    }

    private static JsonElement Guardrail(JsonElement rollout, string metric) =>
        rollout.GetProperty("guardrails").EnumerateArray().First(g => g.GetProperty("metric").GetString() == metric);

    private static bool Judged(JsonElement rollout, string metric) =>
        rollout.GetProperty("guardrails").EnumerateArray().Any(g => g.GetProperty("metric").GetString() == metric
            && g.GetProperty("status").GetString() != "insufficientData" && g.GetProperty("samples").GetProperty("candidate").GetInt64() > 0);
}
