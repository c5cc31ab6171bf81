namespace ModelOps.Core.Rollouts;

/// <summary>
/// A rollout as stored. <see cref="PlanJson"/> is the validated plan as submitted; every change of
/// <see cref="State"/> is a conditional update on <see cref="ConcurrencyToken"/>, so a decider
/// holding an old state (a paused job, a second replica) cannot act on it.
/// </summary>
public sealed class Rollout
{
    public required string Id { get; set; }

    public required string Model { get; set; }

    public int CandidateVersion { get; set; }

    /// <summary>The version traffic comes from and goes back to on a rollback (the plan's rollback target).</summary>
    public int BaselineVersion { get; set; }

    public required string Strategy { get; set; }

    public required string State { get; set; }

    public int StepIndex { get; set; }

    /// <summary>When the current step went live: its bake time counts from here.</summary>
    public DateTimeOffset? StepStartedAt { get; set; }

    public required string PlanJson { get; set; }

    public required string Owner { get; set; }

    public required string StartedBy { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public string? EndReason { get; set; }

    public Guid ConcurrencyToken { get; set; }

    /// <summary>The audit log's target for rows about rollout <paramref name="id"/>.</summary>
    public static string AuditTarget(string id) => $"rollout:{id}";

    /// <summary>The state a paused or awaiting rollout returns to when resumed or continued.</summary>
    public string? ResumeState { get; set; }

    /// <summary>Why the rollout was rolled back: <c>hard</c>, <c>approvalRevert</c>, <c>approvalTimeout</c>, <c>manual</c>.</summary>
    public string? Trigger { get; set; }

    public string? IncidentId { get; set; }

    /// <summary>The calibration snapshot taken at start, restored on a rollback.</summary>
    public string? CalibrationSnapshotId { get; set; }

    /// <summary>Staged rollback: the index of the rollback step now holding (null before the rollback).</summary>
    public int? RollbackStepIndex { get; set; }

    /// <summary>The first evaluation of the breach that led to the rollback (hard triggers only).</summary>
    public DateTimeOffset? FirstFailingAt { get; set; }

    /// <summary>When the rollback was decided (committed).</summary>
    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>Decision committed → the rollback target's table live, in milliseconds.</summary>
    public double? DecisionToRestoreMs { get; set; }

    /// <summary>First failing evaluation → the rollback target's table live, in milliseconds.</summary>
    public double? DetectionToRestoreMs { get; set; }

    /// <summary>The judge's state and latest verdicts (<see cref="Engine.JudgeRecord"/>), written at every evaluation.</summary>
    public string? JudgeJson { get; set; }

    public DateTimeOffset? EvaluatedAt { get; set; }
}
