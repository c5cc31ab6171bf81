using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;

namespace ModelOps.Tests.Infrastructure;

/// <summary>
/// Rollout rows as the engine stores them, written straight to the database so read-side code
/// (metrics, runbook, chronic failures) is tested without driving the engine.
/// </summary>
public static class RolloutRows
{
    public static RolloutPlan Plan(string model, params GuardrailSpec[] guardrails) => new(
        model,
        CandidateVersion: 3,
        RolloutStrategy.Canary,
        [new RolloutStep(5, 60, []), new RolloutStep(25, 120, ["eu", "us"]), new RolloutStep(100, 300, [])],
        guardrails.Length > 0 ? guardrails : [new GuardrailSpec(GuardrailMetric.LatencyP95, Threshold: 0.3), GuardrailSpec.SampleRatio()],
        RollbackTarget: 2,
        Owner: "ml-platform",
        VerificationSeconds: 300,
        StagedRollback: false,
        RollbackSteps: [],
        ProgressDeadlineSeconds: 1_800,
        ApprovalTimeoutSeconds: 900,
        ShadowShare: 0);

    public static Rollout Row(string model, string state, DateTimeOffset startedAt, RolloutPlan? plan = null)
    {
        plan ??= Plan(model);
        return new Rollout
        {
            Id = $"ro-{Guid.NewGuid():N}",
            Model = model,
            CandidateVersion = plan.CandidateVersion,
            BaselineVersion = plan.RollbackTarget,
            Strategy = plan.Strategy.ToString(),
            State = state,
            PlanJson = RolloutPlanJson.Write(plan),
            Owner = plan.Owner,
            StartedBy = "operator",
            StartedAt = startedAt,
            StepStartedAt = startedAt,
            ConcurrencyToken = Guid.NewGuid(),
        };
    }

    /// <summary>A rollback decided at <paramref name="decidedAt"/>; ended there too unless it is still rolling back.</summary>
    public static Rollout RolledBack(string model, DateTimeOffset decidedAt, string? trigger = "hard", string state = RolloutStates.RolledBack, double? decisionMs = null, double? detectionMs = null)
    {
        var rollout = Row(model, state, decidedAt.AddMinutes(-20));
        rollout.Trigger = trigger;
        rollout.DecidedAt = decidedAt;
        rollout.EndedAt = state == RolloutStates.RolledBack ? decidedAt : null;
        rollout.DecisionToRestoreMs = decisionMs;
        rollout.DetectionToRestoreMs = detectionMs;
        return rollout;
    }

    /// <summary>The judge's persisted record with one verdict per status given, in plan order.</summary>
    public static string Judged(DateTimeOffset at, params (GuardrailMetric Metric, VerdictStatus Status)[] verdicts) =>
        new JudgeRecord(at, [], [.. verdicts.Select(v => new VerdictRecord(
            v.Metric, v.Status, 10, 12, 0.3, null, GuardrailSpec.DefaultAlpha, 0.2, 0.1, 0.3, null, null,
            new SampleCounts(500, 500), null, null, Sustained: false, Reason: "as judged"))]).Write();
}
