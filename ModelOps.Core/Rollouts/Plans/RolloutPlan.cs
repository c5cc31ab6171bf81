using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Rollouts.Plans;

/// <summary>
/// A validated plan, decided before the deploy. Invariants (checked by <see cref="RolloutPlanner"/>):
/// at least one guardrail besides sample-ratio mismatch, which is always present and hard; an
/// owner; a rollback target other than the candidate; canary weights rising, each in (0, 100];
/// staged rollback weights falling to 0. <see cref="SoftTriggerStepsDown"/>: while a soft trigger
/// waits for an approver, the candidate goes back one canary step instead of holding its weight.
/// </summary>
public sealed record RolloutPlan(
    string Model,
    int CandidateVersion,
    RolloutStrategy Strategy,
    IReadOnlyList<RolloutStep> Steps,
    IReadOnlyList<GuardrailSpec> Guardrails,
    int RollbackTarget,
    string Owner,
    int VerificationSeconds,
    bool StagedRollback,
    IReadOnlyList<RollbackStep> RollbackSteps,
    int ProgressDeadlineSeconds,
    int ApprovalTimeoutSeconds,
    double ShadowShare,
    bool SoftTriggerStepsDown = false)
{
    /// <summary>
    /// <c>shadow.maxDiff</c>: the largest share of flipped decisions allowed in any segment with
    /// enough mirrored samples before the rollout may <c>advance</c> to canary; null = no bound.
    /// </summary>
    public double? ShadowMaxDiff { get; init; }
}
