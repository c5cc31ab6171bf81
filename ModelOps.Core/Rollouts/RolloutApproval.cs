namespace ModelOps.Core.Rollouts;

/// <summary>
/// A soft trigger waiting for a person: raised with the evidence that tripped it, decided by an
/// Approver who did not start the rollout (<c>revert</c> or <c>continue</c>), or reverted when
/// <see cref="DueAt"/> passes undecided (the safe default).
/// </summary>
public sealed class RolloutApproval
{
    public required string Id { get; set; }

    public required string RolloutId { get; set; }

    /// <summary>One of <see cref="ApprovalKinds"/>.</summary>
    public required string Kind { get; set; }

    public required string Reason { get; set; }

    /// <summary>JSON: the verdicts, request ids or figures that raised it.</summary>
    public required string EvidenceJson { get; set; }

    public required string RaisedBy { get; set; }

    public DateTimeOffset RaisedAt { get; set; }

    public DateTimeOffset DueAt { get; set; }

    /// <summary><c>pending</c>, <c>continued</c>, <c>reverted</c>, <c>timedOut</c>, <c>withdrawn</c> (the rollout ended otherwise).</summary>
    public required string Status { get; set; }

    public string? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecisionReason { get; set; }
}
