using ModelOps.Core.Common;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;

namespace ModelOps.Tests.Rollouts.Plans;

public sealed class RolloutPlannerTests
{
    [Fact]
    public void Plan_DefaultTemplateAndChampion_TargetsTheChampionAndAddsHardSampleRatio()
    {
        var plan = RolloutPlanner.Plan(Request(), champion: 2);

        Assert.Equal(2, plan.Value!.RollbackTarget);
        Assert.Equal(4, plan.Value.Guardrails.Count);
        Assert.Contains(plan.Value.Guardrails, g => g is { Metric: GuardrailMetric.Srm, Severity: GuardrailSeverity.Hard });
        Assert.Equal([1.0, 5, 25, 50, 100], plan.Value.Steps.Select(s => s.Weight));
    }

    [Theory]
    [InlineData("guardrails")]
    [InlineData("owner")]
    [InlineData("rollbackTarget")]
    public void Plan_WithoutGuardrailsOwnerOrTarget_IsInvalidNamingTheField(string field)
    {
        var request = field switch
        {
            "guardrails" => Request() with { Guardrails = [] },
            "owner" => Request() with { Owner = "" },
            _ => Request(),
        };

        var plan = RolloutPlanner.Plan(request, champion: field == "rollbackTarget" ? null : 2);

        Assert.Equal((ErrorKind.Invalid, field), (plan.Error!.Kind, plan.Error.Field));
    }

    [Fact]
    public void Plan_StepWeightGoingDown_NamesThatStep()
    {
        var plan = RolloutPlanner.Plan(Request() with { Steps = [new(10, 60, null), new(5, 60, null)] }, champion: 2);

        Assert.Equal("steps[1].weight", plan.Error!.Field);
    }

    [Fact]
    public void Plan_OfflineAuc_IsTheOfflineMetricOnAuc()
    {
        var offline = new GuardrailRequest("offline_auc", 0.05, null, null, null, "hard", null, null, null, null, null);

        var plan = RolloutPlanner.Plan(Request() with { Guardrails = [offline] }, champion: 2);

        Assert.Contains(plan.Value!.Guardrails, g => g is { Metric: GuardrailMetric.Offline, MetricName: "auc", Threshold: 0.05 });
    }

    [Theory]
    [InlineData("p95", null, null, "guardrails[0].metric")]
    [InlineData("kpi", null, null, "guardrails[0].threshold")]
    [InlineData("null_rate", 0.01, null, "guardrails[0].feature")]
    [InlineData("error_rate", 0.01, "sometimes", "guardrails[0].severity")]
    public void Plan_BadGuardrail_NamesItsField(string metric, double? threshold, string? severity, string field)
    {
        var guardrail = new GuardrailRequest(metric, threshold, null, null, null, severity, null, null, null, null, null);

        var plan = RolloutPlanner.Plan(Request() with { Guardrails = [guardrail] }, champion: 2);

        Assert.Equal(field, plan.Error!.Field);
    }

    [Fact]
    public void Plan_StagedRollbackNotEndingAtZero_IsInvalid()
    {
        var plan = RolloutPlanner.Plan(Request() with { Rollback = new("staged", [new(50, 30), new(25, 30)]) }, champion: 2);

        Assert.Equal("rollback.steps", plan.Error!.Field);
    }

    [Fact]
    public void Plan_TargetIsTheCandidate_IsInvalid()
    {
        var plan = RolloutPlanner.Plan(Request() with { RollbackTarget = 3 }, champion: 2);

        Assert.Equal("rollbackTarget", plan.Error!.Field);
    }

    private static RolloutRequest Request() => new(
        "ctr-ranker", 3, "canary",
        [new(1, 60, null), new(5, 60, null), new(25, 120, null), new(50, 120, null), new(100, 300, null)],
        GuardrailTemplates.Default, null, null, "ml-platform", null, null, null, null);
}
