using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ModelOps.Core.Audit;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>
/// Puts each model's live routing table where its latest rollout's stored state says, when the two
/// disagree (<see cref="RolloutTraffic.InPlace"/>): a rollback decided but not swapped is completed,
/// a staged rollback's hold re-applied, a step that committed without its swap applied, a promotion
/// finished (champion alias, then traffic). Decisions are never re-made here, only carried out.
/// <list type="bullet">
/// <item><see cref="RecoverAsync"/> runs once at start, before any job: whatever a killed process
/// left undone. An ended rollout's traffic is left alone once anything has routed the model since it
/// ended (the live table is then its own swap or an operator's later choice, e.g. the champion
/// alias moved back).</item>
/// <item><see cref="RepairAsync"/> runs with the rollout sweep, so a swap that failed while the
/// process lived (the routing write refused, a warm-up that failed once) is not left until the next
/// restart. It acts only on a rollout whose last audited transition is older than the settle time
/// (its own swap may still be in flight) and after which nothing routed the model — so an
/// operator's routing change after a decision is never undone, and a replica whose table lags the
/// database (it sees the other replicas' swaps as routing rows) does not act on its lag.</item>
/// </list>
/// </summary>
public sealed partial class RolloutRecovery(
    ModelOpsDbContext db, ITrafficRouter router, RolloutRollbacks rollbacks, ModelRegistry registry, TimeProvider time, ILogger<RolloutRecovery> logger)
{
    /// <summary>How long after an ended rollout <see cref="RepairAsync"/> still looks at it.</summary>
    public static readonly TimeSpan EndedLookback = TimeSpan.FromMinutes(15);

    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        // Only each model's latest rollout matters: read the keys of all, then those rows whole.
        var keys = await db.Set<Rollout>().AsNoTracking().Select(r => new { r.Id, r.Model, r.StartedAt }).ToListAsync(cancellationToken);
        var latest = keys.GroupBy(r => r.Model).Select(g => g.MaxBy(r => r.StartedAt)!.Id).ToList();
        var rollouts = await db.Set<Rollout>().AsNoTracking().Where(r => latest.Contains(r.Id)).ToListAsync(cancellationToken);
        var repaired = 0;
        foreach (var rollout in rollouts)
        {
            var live = router.Current(rollout.Model);
            var plan = RolloutPlanJson.Read(rollout.PlanJson);
            if (plan is null || live is null)
            {
                continue;
            }

            if (rollout.State is RolloutStates.RolledBack or RolloutStates.Promoted && await RoutedSinceEndAsync(rollout, cancellationToken))
            {
                continue;
            }

            // A promotion is also finished when only its champion move is missing (traffic already all on
            // the candidate), and a staged rollback's hold also when only its aftercare may be.
            var done = rollout.State is RolloutStates.Promoted or RolloutStates.RollingBack || !RolloutTraffic.InPlace(rollout, plan, live)
                ? await CarryOutAsync(rollout, plan, live, "recovery", cancellationToken)
                : null;
            if (done is not null)
            {
                repaired++;
                Log.Recovered(logger, rollout.Id, rollout.State, done);
            }
        }

        return repaired;
    }

    /// <summary>
    /// Carries out the decision of every active or recently ended rollout whose traffic is not where
    /// its state says, when its last transition is older than <paramref name="settle"/> and nothing
    /// routed the model since. Returns how many it repaired.
    /// </summary>
    public async Task<int> RepairAsync(TimeSpan settle, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var since = now - EndedLookback;
        var recent = await db.Set<Rollout>().AsNoTracking()
            .Where(r => RolloutStates.Active.Contains(r.State) || (r.EndedAt != null && r.EndedAt >= since))
            .ToListAsync(cancellationToken);
        var repaired = 0;
        foreach (var rollout in recent.GroupBy(r => r.Model).Select(g => g.MaxBy(r => r.StartedAt)!))
        {
            var live = router.Current(rollout.Model);
            var plan = RolloutPlanJson.Read(rollout.PlanJson);
            if (plan is null || live is null || RolloutTraffic.InPlace(rollout, plan, live))
            {
                continue; // the common case: no database read
            }

            var target = RolloutRollbacks.Target(rollout);
            // The rollout's own transitions only (a promotion's later verification row is not a decision).
            var last = await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Target == target && e.Action.StartsWith("rollout."))
                .OrderByDescending(e => e.Seq).Select(e => new { e.Seq, e.At }).FirstOrDefaultAsync(cancellationToken);
            if (last is null || now - last.At < settle
                || await db.Set<AuditEntry>().AnyAsync(e => e.Model == rollout.Model && e.Action == RoutingApplied && e.Seq > last.Seq, cancellationToken))
            {
                continue;
            }

            try
            {
                var done = await CarryOutAsync(rollout, plan, live, "repair", cancellationToken);
                if (done is not null)
                {
                    repaired++;
                    Log.Repaired(logger, rollout.Id, rollout.State, done);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Whatever refused the decision's own swap may refuse this one too: the next sweep tries again.
                Log.RepairFailed(logger, exception, rollout.Id, rollout.State);
            }
        }

        return repaired;
    }

    private const string RoutingApplied = "routing.applied";

    /// <summary>What <paramref name="rollout"/>'s state asks of the traffic, done; what was done, or null when nothing was needed.</summary>
    private async Task<string?> CarryOutAsync(Rollout rollout, RolloutPlan plan, RoutingTable live, string why, CancellationToken cancellationToken)
    {
        switch (rollout.State)
        {
            case RolloutStates.RolledBack or RolloutStates.RollingBack:
                var moved = await rollbacks.MoveTrafficAsync(rollout, null, cancellationToken);
                return moved.IsSuccess ? "rollback traffic completed" : moved.Error.Detail;
            case RolloutStates.Promoted:
                return await FinishPromotionAsync(rollout, why, cancellationToken);
            case RolloutStates.Progressing or RolloutStates.Shadowing or RolloutStates.Paused or RolloutStates.AwaitingApproval:
                var wanted = RolloutService.Split(plan, rollout);
                var applied = await router.ChangeAsync(rollout.Model, wanted with { ExpectedGeneration = live.Generation, Reason = $"{why}: {wanted.Reason}" }, RolloutEvaluator.Actor, cancellationToken);
                if (!applied.IsSuccess)
                {
                    return applied.Error.Detail;
                }

                if (rollout.State is RolloutStates.Progressing or RolloutStates.Shadowing)
                {
                    // The step's bake counts from when its split went live (as at start and at each advance).
                    var at = time.GetUtcNow();
                    await db.Set<Rollout>().Where(r => r.Id == rollout.Id && r.ConcurrencyToken == rollout.ConcurrencyToken)
                        .ExecuteUpdateAsync(u => u.SetProperty(r => r.StepStartedAt, at), cancellationToken);
                }

                return "step traffic re-applied";
            default:
                return null;
        }
    }

    /// <summary>
    /// A promotion decided but not carried out: the champion alias moves to the candidate (as
    /// <see cref="RolloutService"/> moves it, first), then all traffic; null when both already are.
    /// </summary>
    private async Task<string?> FinishPromotionAsync(Rollout rollout, string why, CancellationToken cancellationToken)
    {
        var champion = await db.Set<ModelAlias>().AsNoTracking()
            .Where(a => a.Model == rollout.Model && a.Alias == ModelAlias.Champion).Select(a => (int?)a.Version).SingleOrDefaultAsync(cancellationToken);
        if (champion != rollout.CandidateVersion)
        {
            var moved = await registry.MoveAliasAsync(rollout.Model, ModelAlias.Champion, rollout.CandidateVersion,
                $"promoted by {rollout.Id}: {rollout.EndReason} (completed by {why})", RolloutEvaluator.Actor, cancellationToken);
            if (!moved.IsSuccess)
            {
                return moved.Error.Detail;
            }
        }

        // Read after the alias move: serving may have followed it. A table still naming a candidate
        // (a last step at 100 %) is not yet what a promotion leaves: serving would not follow champion.
        var live = router.Current(rollout.Model);
        if (live is { RoutableVersions: [var only], CandidateVersion: null } && only == rollout.CandidateVersion)
        {
            return champion == rollout.CandidateVersion ? null : "champion alias moved";
        }

        var routed = await router.ChangeAsync(rollout.Model, RoutingChange.AllTo(rollout.CandidateVersion, $"{why}: promotion of {rollout.Id}", live), RolloutEvaluator.Actor, cancellationToken);
        return routed.IsSuccess ? "promotion completed" : routed.Error.Detail;
    }

    /// <summary>
    /// Whether a routing change for the model committed after the rollout's final decision. The
    /// audit sequence is the commit order (one writer at a time), so no clocks are compared.
    /// </summary>
    private async Task<bool> RoutedSinceEndAsync(Rollout rollout, CancellationToken cancellationToken)
    {
        var target = RolloutRollbacks.Target(rollout);
        var ending = $"rollout.{rollout.State}";
        var ended = await db.Set<AuditEntry>().Where(e => e.Target == target && e.Action == ending).MaxAsync(e => (long?)e.Seq, cancellationToken);
        return ended is { } seq
            && await db.Set<AuditEntry>().AnyAsync(e => e.Model == rollout.Model && e.Action == RoutingApplied && e.Seq > seq, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Rollout {RolloutId} ({State}) recovered at start: {Outcome}")]
        public static partial void Recovered(ILogger logger, string rolloutId, string state, string outcome);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Rollout {RolloutId} ({State}): its traffic was not where its state says; repaired: {Outcome}")]
        public static partial void Repaired(ILogger logger, string rolloutId, string state, string outcome);

        [LoggerMessage(Level = LogLevel.Error, Message = "Rollout {RolloutId} ({State}): its traffic is not where its state says, and the repair failed; the next sweep tries again")]
        public static partial void RepairFailed(ILogger logger, Exception exception, string rolloutId, string state);
    }
}
