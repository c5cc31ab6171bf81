using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Metrics;

/// <summary>The rollout families of <c>/metrics</c> on the real app, from rollout rows stored as the engine stores them.</summary>
public sealed class RolloutMetricsEndpointTests : IAsyncLifetime
{
    private readonly ModelOpsAppFactory _factory = new();
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private HttpClient _anonymous = null!; // Set in InitializeAsync before any test runs.

    public async Task InitializeAsync()
    {
        _factory.Settings["ModelOps:Demo:SeedModels"] = "false";
        _anonymous = _factory.CreateClient();
        await EngineStandby.EnterAsync(_factory.Services);
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Metrics_ActiveRolloutAndRollbacks_ExposeStateGuardrailsRollbacksRestoreAndChronicFamilies()
    {
        var active = RolloutRows.Row("ctr \"ranker\"", RolloutStates.AwaitingApproval, _now.AddMinutes(-30));
        active.JudgeJson = RolloutRows.Judged(_now, (GuardrailMetric.LatencyP95, VerdictStatus.Marginal), (GuardrailMetric.Srm, VerdictStatus.Pass));
        var rolledBack = RolloutRows.RolledBack("churn", _now.AddMinutes(-10), "hard", decisionMs: 120, detectionMs: 14_000);
        await SeedAsync(
            active,
            rolledBack,
            RolloutRows.RolledBack("churn", _now.AddHours(-3), "manual", decisionMs: 2_000),
            RolloutRows.RolledBack("churn", _now.AddHours(-6), "hard"));

        var lines = (await _anonymous.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n');

        Assert.Contains($"modelops_rollout_state{{rollout=\"{active.Id}\",model=\"ctr \\\"ranker\\\"\",state=\"awaitingApproval\"}} 1", lines);
        Assert.Contains($"modelops_rollout_state{{rollout=\"{rolledBack.Id}\",model=\"churn\",state=\"rolledBack\"}} 1", lines);
        Assert.Contains($"modelops_rollout_guardrail_status{{rollout=\"{active.Id}\",model=\"ctr \\\"ranker\\\"\",guardrail=\"1\",metric=\"latency_p95\",severity=\"hard\",status=\"marginal\"}} 1", lines);
        Assert.Contains($"modelops_rollout_guardrail_status{{rollout=\"{active.Id}\",model=\"ctr \\\"ranker\\\"\",guardrail=\"2\",metric=\"srm\",severity=\"hard\",status=\"pass\"}} 1", lines);
        Assert.Contains("modelops_rollbacks_total{model=\"churn\",trigger=\"hard\"} 2", lines);
        Assert.Contains("modelops_rollbacks_total{model=\"churn\",trigger=\"manual\"} 1", lines);
        Assert.Contains("modelops_rollout_decision_to_restore_seconds_bucket{le=\"0.25\"} 1", lines);
        Assert.Contains("modelops_rollout_decision_to_restore_seconds_bucket{le=\"5\"} 2", lines);
        Assert.Contains("modelops_rollout_decision_to_restore_seconds_count 2", lines);
        Assert.Contains("modelops_rollout_detection_to_restore_seconds_bucket{le=\"15\"} 1", lines);
        Assert.Contains("modelops_rollout_detection_to_restore_seconds_sum 14", lines);
        Assert.Contains("modelops_model_chronically_failing{model=\"churn\"} 1", lines);
    }

    [Fact]
    public async Task Metrics_RolloutFamiliesWithEveryKindOfSeries_PassPromtoolCheck()
    {
        var active = RolloutRows.Row("ctr-ranker", RolloutStates.Progressing, _now.AddMinutes(-30), RolloutRows.Plan(
            "ctr-ranker",
            new GuardrailSpec(GuardrailMetric.Kpi, Threshold: 0.02, Severity: GuardrailSeverity.Soft),
            new GuardrailSpec(GuardrailMetric.DriftPsi, Threshold: 0.2, Feature: "country"),
            GuardrailSpec.SampleRatio()));
        active.JudgeJson = RolloutRows.Judged(
            _now, (GuardrailMetric.Kpi, VerdictStatus.InsufficientData), (GuardrailMetric.DriftPsi, VerdictStatus.Fail), (GuardrailMetric.Srm, VerdictStatus.Pass));
        await SeedAsync(
            active,
            RolloutRows.RolledBack("ctr-ranker", _now.AddMinutes(-40), "approvalTimeout", decisionMs: 35, detectionMs: 11_500),
            RolloutRows.RolledBack("churn", _now.AddDays(-2), trigger: null, decisionMs: 900_001),
            RolloutRows.RolledBack("churn", _now.AddMinutes(-1), "progressDeadline", RolloutStates.RollingBack));
        var body = await _anonymous.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        var (exitCode, output) = await Promtool.CheckMetricsAsync(body);

        Assert.True(exitCode == 0 && string.IsNullOrWhiteSpace(output), $"promtool check metrics exited {exitCode}:\n{output}\n--- exposition ---\n{body}");
        Assert.Contains("modelops_rollout_guardrail_status{", body, StringComparison.Ordinal);
    }

    private async Task SeedAsync(params Rollout[] rollouts)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        db.AddRange(rollouts);
        await db.SaveChangesAsync();
    }
}
