using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Rollouts.Plans;

/// <summary>The runbook generator alone: every part of the plan an operator needs, in plain words.</summary>
public sealed class RolloutRunbookTests
{
    private const string Id = "ro-0123abcd";
    private const string BaseUrl = "https://modelops.example:8443/";

    [Fact]
    public void Write_CanaryPlan_NamesModelCandidateTargetOwnerAndEveryStep()
    {
        var lines = Lines(RolloutRows.Plan("ctr-ranker"));

        Assert.Equal($"# Runbook: ctr-ranker v3 (rollout `{Id}`)", lines[0]);
        Assert.Contains("| Rollback target | v2: all traffic returns here on a rollback |", lines);
        Assert.Contains("| Owner | ml-platform: page them first |", lines);
        Assert.Contains("| 1 | 5 % | 1 min | all |", lines);
        Assert.Contains("| 2 | 25 % | 2 min | eu, us |", lines);
        Assert.Contains("| 3 | 100 % | 5 min | all |", lines);
    }

    [Fact]
    public void Write_HardGuardrail_TripsIntoAnAutomaticRollbackToTheTarget()
    {
        var lines = Lines(RolloutRows.Plan("ctr-ranker", new GuardrailSpec(GuardrailMetric.LatencyP95, Threshold: 0.3, Limit: 250, SustainSeconds: 10)));

        Assert.Contains("### 1. `latency_p95`: hard", lines);
        Assert.Contains("- **Allows** at most 30 % above the baseline's and never above 250 ms.", lines);
        Assert.Contains("- **Trips** when a failure has held for 10 s.", lines);
        Assert.Contains(lines, l => l.StartsWith("- **Then** the rollout is rolled back to v2 automatically", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("α = 0.005 over the whole rollout (half each for the threshold and the limit)", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_SoftGuardrail_AsksForAnApprovalWithTimeOutAndRevertAsTheSafeDefault()
    {
        var lines = Lines(RolloutRows.Plan("ctr-ranker", new GuardrailSpec(GuardrailMetric.Kpi, Threshold: 0.02, Severity: GuardrailSeverity.Soft)));

        var then = Assert.Single(lines, l => l.StartsWith("- **Then**", StringComparison.Ordinal));
        Assert.Contains("approval", then, StringComparison.Ordinal);
        Assert.Contains("within 15 min", then, StringComparison.Ordinal);
        Assert.Contains("safe default applies: revert to v2 (trigger `approvalTimeout`)", then, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(GuardrailMetric.ErrorRate, 0.005, null, "at most 0.5 percentage points above the baseline's")]
    [InlineData(GuardrailMetric.ErrorRate, null, 0.05, "never above 5 %")]
    [InlineData(GuardrailMetric.Kpi, 0.02, null, "at most 2 % below the baseline's, judged with statistical significance")]
    [InlineData(GuardrailMetric.ScorePsi, 0.2, null, "a PSI of at most 0.2 (confirmed by a χ² test)")]
    [InlineData(GuardrailMetric.Offline, 0.01, null, "a drop of at most 0.01")]
    [InlineData(GuardrailMetric.Srm, 0.0, null, "a share consistent with the weight (always on, hard)")]
    public void Write_GuardrailBounds_SaidInTheMetricsOwnUnits(GuardrailMetric metric, double? threshold, double? limit, string allows)
    {
        var lines = Lines(RolloutRows.Plan("ctr-ranker", new GuardrailSpec(metric, threshold, limit)));

        Assert.Contains($"- **Allows** {allows}.", lines);
    }

    [Fact]
    public void Write_ProgressDeadlineAndVerification_StatedWithTheirDurationsAndOutcome()
    {
        var lines = Lines(RolloutRows.Plan("ctr-ranker") with { ProgressDeadlineSeconds = 5_400, VerificationSeconds = 90 });

        var deadline = Assert.Single(lines, l => l.StartsWith("If a guardrail is still undecided (short of data, or marginal) 1 h 30 min after the step went live", StringComparison.Ordinal));
        Assert.Contains("an approval is raised", deadline, StringComparison.Ordinal);
        Assert.Contains("undecided after 15 min, it reverts to v2 (trigger `approvalTimeout`)", deadline, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("Verification: within 1 min 30 s of the restore", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_InstantRollback_OneRoutingSwap()
    {
        Assert.Contains("Instant: all traffic moves to v2 in one routing swap.", Lines(RolloutRows.Plan("ctr-ranker")));
    }

    [Fact]
    public void Write_StagedRollback_ListsEveryStepWithItsHold()
    {
        var plan = RolloutRows.Plan("ctr-ranker") with { StagedRollback = true, RollbackSteps = [new RollbackStep(50, 30), new RollbackStep(0, 0)] };

        var lines = Lines(plan);

        Assert.Contains(lines, l => l.StartsWith("Staged:", StringComparison.Ordinal));
        Assert.Contains("| 1 | 50 % | 30 s |", lines);
        Assert.Contains("| 2 | 0 % | 0 s |", lines);
    }

    [Fact]
    public void Write_Commands_CallTheRolloutsRoutesOnTheGivenServer()
    {
        var lines = Lines(RolloutRows.Plan("ctr-ranker"));

        Assert.Contains("export MODELOPS=https://modelops.example:8443", lines);
        foreach (var route in new[] { "/rollback\"", "/pause\"", "/resume\"", "/promote\"", "/approvals/<approvalId>\"", "/flags\"" })
        {
            Assert.Contains(lines, l => l.StartsWith($"curl -s -X POST \"$MODELOPS/api/rollouts/{Id}{route}", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(lines, l => l.Contains("/advance", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_ShadowPlan_SaysTheMirroredShareAndHowToAdvance()
    {
        var lines = Lines(RolloutRows.Plan("ctr-ranker") with { Strategy = RolloutStrategy.Shadow, ShadowShare = 0.2 });

        Assert.Contains(lines, l => l.Contains("mirrored copies of 20 % of requests", StringComparison.Ordinal));
        Assert.Contains($"curl -s -X POST \"$MODELOPS/api/rollouts/{Id}/advance\" -H \"Authorization: Bearer $TOKEN\"", lines);
    }

    [Fact]
    public void Write_OwnerWithAPipe_StaysInsideItsTableCell()
    {
        var lines = Lines(RolloutRows.Plan("ctr-ranker") with { Owner = "ml|platform" });

        Assert.Contains("| Owner | ml\\|platform: page them first |", lines);
    }

    private static string[] Lines(RolloutPlan plan) => RolloutRunbook.Write(Id, plan, BaseUrl).Split('\n');
}
