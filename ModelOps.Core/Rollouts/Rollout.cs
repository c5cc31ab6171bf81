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
}
