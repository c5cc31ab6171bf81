using ModelOps.Core.Incidents;

namespace ModelOps.Core.GameDays;

/// <summary>A drill's four measurements against their targets, and how many passed (e.g. 3/4).</summary>
public sealed record GameDayScorecard(int Passed, int Total, string Summary, IReadOnlyList<GameDayScoreItem> Items)
{
    public const string Pass = "pass";
    public const string Fail = "fail";
    public const string Pending = "pending";

    /// <summary>
    /// Scores a drill. While it runs, a measurement not taken yet is pending; once it has ended a
    /// missing one fails (the engine never got there). <paramref name="verification"/> is the
    /// incident's verification status (pending until it records a result), or <c>none</c> for a
    /// drill that ended without an incident.
    /// </summary>
    public static GameDayScorecard Score(GameDay drill, GameDayTargets targets, string verification)
    {
        ArgumentNullException.ThrowIfNull(drill);
        ArgumentNullException.ThrowIfNull(targets);
        var ended = drill.State != GameDayStates.Running;
        GameDayScoreItem[] items =
        [
            Timed("detection", drill.DetectionSeconds, targets.DetectionSeconds, ended),
            Timed("decision", drill.DecisionSeconds, targets.DecisionSeconds, ended),
            Timed("restore", drill.RestoreSeconds, targets.RestoreSeconds, ended),
            new("verification", verification, targets.Verification,
                verification == targets.Verification ? Pass
                : verification == IncidentStates.VerificationPending && (drill.IncidentId is not null || !ended) ? Pending
                : Fail),
        ];
        var passed = items.Count(i => i.Status == Pass);
        return new GameDayScorecard(passed, items.Length, $"{passed}/{items.Length}", items);
    }

    private static GameDayScoreItem Timed(string name, double? seconds, double? target, bool ended) => new(
        name,
        seconds,
        target,
        seconds is { } value && target is { } limit ? (value <= limit ? Pass : Fail) : ended ? Fail : Pending);
}

/// <summary>One measurement: its value (seconds, or the verification status), its target, and pass, fail or pending.</summary>
public sealed record GameDayScoreItem(string Name, object? Value, object? Target, string Status);
