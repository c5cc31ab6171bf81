using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Audit;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Serving.Chaos;

namespace ModelOps.Core.GameDays;

/// <summary>
/// Ends a drill, however it ended: its canary is rolled back if it is still live (a drill never
/// leaves a faulty candidate serving), its fault is cleared (even if the rollback failed), and its
/// times are read from the rollout and recorded with <c>gameday.finished</c>. Idempotent: a drill
/// already ended is left as it is.
/// </summary>
public sealed class GameDayFinisher(ModelOpsDbContext db, AuditTrail trail, RolloutRollbacks rollbacks, IChaosFaults chaos, TimeProvider time)
{
    public async Task FinishAsync(string id, string outcome, string note, CancellationToken cancellationToken)
    {
        var drill = await db.Set<GameDay>().AsNoTracking().SingleOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (drill is not { State: GameDayStates.Running })
        {
            return;
        }

        var rolledBackByDrill = false;
        DateTimeOffset? faultClearedAt;
        try
        {
            rolledBackByDrill = await EndCanaryAsync(drill, outcome, cancellationToken);
        }
        finally
        {
            await chaos.RemoveAsync(drill.Model, drill.Version, GameDayRunner.Actor, cancellationToken);
            faultClearedAt = time.GetUtcNow();
        }

        var rollout = await db.Set<Rollout>().AsNoTracking().SingleAsync(r => r.Id == drill.RolloutId, cancellationToken);
        var times = GameDayTimes.Measure(drill.FaultStartedAt, rollout, rolledBackByDrill);
        await trail.ExecuteAsync<GameDay>(async ct =>
        {
            var tracked = await db.Set<GameDay>().SingleAsync(g => g.Id == id, ct);
            tracked.State = outcome == GameDayOutcomes.Interrupted ? GameDayStates.Interrupted : GameDayStates.Finished;
            tracked.Outcome = outcome;
            tracked.Note = note;
            tracked.FaultClearedAt = tracked.FaultStartedAt is null ? null : faultClearedAt;
            tracked.EndedAt = time.GetUtcNow();
            tracked.IncidentId = rollout.IncidentId;
            (tracked.FirstFailingAt, tracked.DecidedAt, tracked.RestoredAt) = (times.FirstFailingAt, times.DecidedAt, times.RestoredAt);
            (tracked.DetectionSeconds, tracked.DecisionSeconds, tracked.RestoreSeconds) = (times.DetectionSeconds, times.DecisionSeconds, times.RestoreSeconds);
            var score = GameDayResult.Of(tracked, null).Score;
            var audit = new AuditRecord(GameDayRunner.Actor, "gameday.finished", GameDay.AuditTarget(id), new
            {
                outcome,
                note,
                rolloutId = rollout.Id,
                incidentId = rollout.IncidentId,
                times.DetectionSeconds,
                times.DecisionSeconds,
                times.RestoreSeconds,
                score = score.Summary,
            }, tracked.Model);
            return new AuditedChange<GameDay>(tracked, audit);
        }, cancellationToken);
    }

    /// <summary>Rolls the drill's rollout back if it still owns traffic; true when this call decided that rollback.</summary>
    private async Task<bool> EndCanaryAsync(GameDay drill, string outcome, CancellationToken cancellationToken)
    {
        var state = await db.Set<Rollout>().AsNoTracking().Where(r => r.Id == drill.RolloutId).Select(r => r.State).SingleAsync(cancellationToken);
        if (!RolloutStates.IsActive(state))
        {
            return false;
        }

        var trigger = new RollbackTrigger(RollbackTrigger.Kinds.Manual, GameDayRunner.Actor, $"game day {drill.Id} ended ({outcome}); its canary does not outlive it");
        var rolledBack = await rollbacks.RollbackAsync(drill.RolloutId, trigger, cancellationToken);
        return rolledBack.IsSuccess && rolledBack.Value.Transition.Changed;
    }
}
