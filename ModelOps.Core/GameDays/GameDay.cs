namespace ModelOps.Core.GameDays;

/// <summary>
/// One drill: a canary of <see cref="Version"/> with a chaos fault on it, and how the rollout
/// engine answered — detection (fault → first failing verdict), decision (→ rollback committed)
/// and restore (→ the target's table live). Times are copied from the drill's rollout when the
/// drill ends; the verification result is read from the incident, which records it later.
/// </summary>
public sealed class GameDay
{
    public required string Id { get; set; }

    public required string Model { get; set; }

    public int Version { get; set; }

    /// <summary>The rollback target the drill's canary runs against.</summary>
    public int BaselineVersion { get; set; }

    /// <summary>JSON: the <see cref="GameDayFault"/> injected.</summary>
    public required string FaultJson { get; set; }

    /// <summary>JSON: the <see cref="GameDayTargets"/> the drill is scored against, from its plan.</summary>
    public required string TargetsJson { get; set; }

    public required string RolloutId { get; set; }

    /// <summary>One of <see cref="GameDayStates"/>.</summary>
    public required string State { get; set; }

    /// <summary>How it ended, one of <see cref="GameDayOutcomes"/>; null while running.</summary>
    public string? Outcome { get; set; }

    public string? Note { get; set; }

    public required string StartedBy { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FaultStartedAt { get; set; }

    public DateTimeOffset? FaultClearedAt { get; set; }

    public DateTimeOffset? FirstFailingAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public DateTimeOffset? RestoredAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public double? DetectionSeconds { get; set; }

    public double? DecisionSeconds { get; set; }

    public double? RestoreSeconds { get; set; }

    public string? IncidentId { get; set; }

    /// <summary>The audit log's target for rows about drill <paramref name="id"/>.</summary>
    public static string AuditTarget(string id) => $"gameday:{id}";
}
