using System.Text.Json;
using ModelOps.Core.Incidents;

namespace ModelOps.Core.GameDays;

/// <summary>A drill with what it was scored against, its incident's verification (read live: it is recorded after the drill ends) and its score.</summary>
public sealed record GameDayResult(GameDay GameDay, GameDayFault Fault, GameDayTargets Targets, string Verification, DateTimeOffset? VerificationCheckedAt, GameDayScorecard Score)
{
    public const string NoVerification = "none";

    public static GameDayResult Of(GameDay drill, Incident? incident)
    {
        ArgumentNullException.ThrowIfNull(drill);
        var fault = JsonSerializer.Deserialize<GameDayFault>(drill.FaultJson, GameDayService.Json) ?? new GameDayFault(null, null, null);
        var targets = JsonSerializer.Deserialize<GameDayTargets>(drill.TargetsJson, GameDayService.Json)
            ?? new GameDayTargets(null, null, GameDayTargets.RestoreTargetSeconds, IncidentStates.Recovered);
        var verification = incident?.VerificationStatus ?? (drill.State == GameDayStates.Running ? IncidentStates.VerificationPending : NoVerification);
        return new GameDayResult(drill, fault, targets, verification, incident?.VerificationCheckedAt, GameDayScorecard.Score(drill, targets, verification));
    }
}
