using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.GameDays;

/// <summary>
/// A drill's times read from its rollout (pure): detection = fault start → first failing verdict,
/// decision = first failing verdict → rollback committed, restore = committed → the target's table
/// live (the rollout's own <see cref="Rollout.DecisionToRestoreMs"/>, measured whoever decided). The first failing verdict is
/// the rollout's <see cref="Rollout.FirstFailingAt"/> (set by a hard trigger), else the earliest
/// breach among the judge's failing verdicts (a soft trigger an approval or its time-out decided).
/// </summary>
public sealed record GameDayTimes(DateTimeOffset? FirstFailingAt, DateTimeOffset? DecidedAt, DateTimeOffset? RestoredAt, double? DetectionSeconds, double? DecisionSeconds, double? RestoreSeconds)
{
    public static GameDayTimes Measure(DateTimeOffset? faultStartedAt, Rollout rollout, bool decidedByTheDrill)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var firstFailing = rollout.FirstFailingAt ?? JudgeRecord.Read(rollout.JudgeJson)?.Verdicts
            .Where(v => v.Status == VerdictStatus.Fail && v.BreachedSince is not null).Min(v => v.BreachedSince);

        // A rollback the drill made at its time-out is not the engine's decision, so it is not scored as one.
        var decidedAt = decidedByTheDrill ? null : rollout.DecidedAt;
        var restoredAt = rollout.DecidedAt is { } decided && rollout.DecisionToRestoreMs is { } ms ? decided.AddMilliseconds(ms) : (DateTimeOffset?)null;
        return new GameDayTimes(
            firstFailing,
            decidedAt,
            restoredAt,
            Seconds(faultStartedAt, firstFailing),
            Seconds(firstFailing, decidedAt),
            rollout.DecisionToRestoreMs / 1000);
    }

    private static double? Seconds(DateTimeOffset? from, DateTimeOffset? to) => from is { } a && to is { } b ? (b - a).TotalSeconds : null;
}
