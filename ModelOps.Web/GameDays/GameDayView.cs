using ModelOps.Core.GameDays;

namespace ModelOps.Web.GameDays;

/// <summary>A drill as <c>GET /api/gamedays</c> shows it: what was injected, the three times in seconds, verification and the score.</summary>
public sealed record GameDayView(
    string Id,
    string Model,
    int Version,
    int BaselineVersion,
    GameDayFault Fault,
    string State,
    string? Outcome,
    string? Note,
    string RolloutId,
    string? IncidentId,
    string StartedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? FaultStartedAt,
    DateTimeOffset? FirstFailingAt,
    DateTimeOffset? DecidedAt,
    DateTimeOffset? RestoredAt,
    DateTimeOffset? FaultClearedAt,
    DateTimeOffset? EndedAt,
    double? DetectionSeconds,
    double? DecisionSeconds,
    double? RestoreSeconds,
    GameDayVerificationView Verification,
    GameDayTargets Targets,
    GameDayScorecard Score)
{
    public static GameDayView From(GameDayResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var g = result.GameDay;
        return new(g.Id, g.Model, g.Version, g.BaselineVersion, result.Fault, g.State, g.Outcome, g.Note, g.RolloutId, g.IncidentId, g.StartedBy, g.StartedAt,
            g.FaultStartedAt, g.FirstFailingAt, g.DecidedAt, g.RestoredAt, g.FaultClearedAt, g.EndedAt, g.DetectionSeconds, g.DecisionSeconds, g.RestoreSeconds,
            new GameDayVerificationView(result.Verification, result.VerificationCheckedAt), result.Targets, result.Score);
    }
}

public sealed record GameDayVerificationView(string Status, DateTimeOffset? CheckedAt);
