namespace ModelOps.Core.Incidents;

/// <summary>
/// Opened by every rollback, and by a promotion's failed verification: what was rolled back to what, the trigger as it stood at the moment
/// of the decision, and the verification of recovery. The candidate's version stays frozen
/// (undeletable, not deployable) while the incident is open; closing needs a root cause.
/// </summary>
public sealed class Incident
{
    public required string Id { get; set; }

    public required string RolloutId { get; set; }

    public required string Model { get; set; }

    /// <summary>The candidate that was rolled back.</summary>
    public int FromVersion { get; set; }

    /// <summary>The rollback target traffic went back to.</summary>
    public int ToVersion { get; set; }

    public string? FromDigest { get; set; }

    public string? ToDigest { get; set; }

    /// <summary><c>hard</c>, <c>approvalRevert</c>, <c>approvalTimeout</c>, <c>manual</c>, or <c>verification</c> (a promotion's failed verification).</summary>
    public required string TriggerKind { get; set; }

    public required string TriggeredBy { get; set; }

    public required string TriggerReason { get; set; }

    /// <summary>JSON: the judge's verdicts at the decision, the routing tables before and after, the plan.</summary>
    public required string EvidenceJson { get; set; }

    public DateTimeOffset OpenedAt { get; set; }

    /// <summary><c>open</c> or <c>closed</c>.</summary>
    public required string Status { get; set; }

    /// <summary><c>pending</c>, <c>recovered</c>, <c>notRecovered</c>.</summary>
    public required string VerificationStatus { get; set; }

    public DateTimeOffset? VerificationCheckedAt { get; set; }

    public string? VerificationJson { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public string? ClosedBy { get; set; }

    public string? RootCause { get; set; }

    /// <summary>
    /// The game day whose drill opened this incident (its rollout is the drill's canary); null for a
    /// real one. A drill's incident does not freeze the candidate (<see cref="IncidentRecorder"/>).
    /// </summary>
    public string? GameDayId { get; set; }

    public bool Drill => GameDayId is not null;

    public Guid ConcurrencyToken { get; set; }

    /// <summary>The audit log's target for rows about incident <paramref name="id"/>.</summary>
    public static string AuditTarget(string id) => $"incident:{id}";
}
