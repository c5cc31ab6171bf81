using System.Net.Http.Json;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Metrics;

/// <summary>The read side against the engine's own writes: a rollout started, its runbook read and a rollback pressed through the API.</summary>
public sealed class RolloutMetricsEngineTests : IAsyncLifetime
{
    private readonly InferenceAppFixture _app = new();
    private HttpClient _operator = null!; // Set in InitializeAsync.

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        _operator = await _app.Factory.CreateClientForAsync("operator");
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task ManualRollback_ThroughTheEngine_CountedWithItsRestoreTimeAndPlannedGuardrailsInTheRunbook()
    {
        using var started = await _operator.PostAsJsonAsync("/api/rollouts", new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            strategy = "canary",
            owner = "ml-platform",
            steps = new[] { new { weight = 5.0, bakeSeconds = 60 }, new { weight = 100.0, bakeSeconds = 300 } },
            guardrails = GuardrailTemplates.Default,
        });
        var id = (await started.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString();
        var runbook = await _operator.GetStringAsync(new Uri($"/api/rollouts/{id}/runbook", UriKind.Relative));
        using (await _operator.PostAsJsonAsync($"/api/rollouts/{id}/rollback", new { reason = "p95 regression on the dashboard" }))
        {
        }

        var body = await _app.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        var lines = body.Split('\n');
        Assert.Contains($"modelops_rollout_state{{rollout=\"{id}\",model=\"ctr-ranker\",state=\"rolledBack\"}} 1", lines);
        Assert.Contains("modelops_rollbacks_total{model=\"ctr-ranker\",trigger=\"manual\"} 1", lines);
        Assert.Contains("modelops_rollout_decision_to_restore_seconds_count 1", lines);
        Assert.Contains("modelops_model_chronically_failing{model=\"ctr-ranker\"} 0", lines);
        Assert.Contains("### 4. `srm`: hard", runbook, StringComparison.Ordinal);
        var (exitCode, output) = await Promtool.CheckMetricsAsync(body);
        Assert.True(exitCode == 0 && string.IsNullOrWhiteSpace(output), $"promtool check metrics exited {exitCode}:\n{output}");
    }
}
