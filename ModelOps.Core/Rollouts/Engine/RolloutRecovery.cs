using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ModelOps.Core.Audit;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>
/// At start, before any job runs: each model's latest rollout puts the live routing table where its
/// stored state says — a rollback decided but not yet swapped (the process died in between) is
/// completed, a staged rollback's hold re-applied, a step that committed without its swap applied,
/// a promotion finished (champion alias, then traffic). Decisions are never re-made here, only
/// carried out, and an ended rollout's only while nothing has routed the model since it ended:
/// after that, the live table is its own swap or an operator's later choice (e.g. the champion
/// alias moved back), not ours to undo.
/// </summary>
public sealed partial class RolloutRecovery(
    ModelOpsDbContext db, ITrafficRouter router, RolloutRollbacks rollbacks, ModelRegistry registry, ILogger<RolloutRecovery> logger)
{
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

            string? done = null;
            switch (rollout.State)
            {
                case RolloutStates.RolledBack when live.RoutableVersions.Contains(rollout.CandidateVersion) || live.Shadow?.Version == rollout.CandidateVersion:
                case RolloutStates.RollingBack:
                    var moved = await rollbacks.MoveTrafficAsync(rollout, null, cancellationToken);
                    done = moved.IsSuccess ? "rollback traffic completed" : moved.Error.Detail;
                    break;
                case RolloutStates.Promoted:
                    done = await FinishPromotionAsync(rollout, cancellationToken);
                    break;
                case RolloutStates.Progressing or RolloutStates.Shadowing or RolloutStates.Paused or RolloutStates.AwaitingApproval:
                    var wanted = RolloutService.Split(plan, rollout);
                    if (!Matches(live, wanted, rollout.CandidateVersion))
                    {
                        var applied = await router.ChangeAsync(rollout.Model, wanted with { ExpectedGeneration = live.Generation, Reason = $"recovery: {wanted.Reason}" }, RolloutEvaluator.Actor, cancellationToken);
                        done = applied.IsSuccess ? "step traffic re-applied" : applied.Error.Detail;
                    }

                    break;
            }

            if (done is not null)
            {
                repaired++;
                Log.Recovered(logger, rollout.Id, rollout.State, done);
            }
        }

        return repaired;
    }

    /// <summary>
    /// A promotion decided but not carried out: the champion alias moves to the candidate (as
    /// <see cref="RolloutService"/> moves it, first), then all traffic; null when both already are.
    /// </summary>
    private async Task<string?> FinishPromotionAsync(Rollout rollout, CancellationToken cancellationToken)
    {
        var champion = await db.Set<ModelAlias>().AsNoTracking()
            .Where(a => a.Model == rollout.Model && a.Alias == ModelAlias.Champion).Select(a => (int?)a.Version).SingleOrDefaultAsync(cancellationToken);
        if (champion != rollout.CandidateVersion)
        {
            var moved = await registry.MoveAliasAsync(rollout.Model, ModelAlias.Champion, rollout.CandidateVersion,
                $"promoted by {rollout.Id}: {rollout.EndReason} (completed at start-up)", RolloutEvaluator.Actor, cancellationToken);
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

        var routed = await router.ChangeAsync(rollout.Model, RoutingChange.AllTo(rollout.CandidateVersion, $"recovery: promotion of {rollout.Id}", live), RolloutEvaluator.Actor, cancellationToken);
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
            && await db.Set<AuditEntry>().AnyAsync(e => e.Model == rollout.Model && e.Action == "routing.applied" && e.Seq > seq, cancellationToken);
    }

    private static bool Matches(RoutingTable live, RoutingChange wanted, int candidate)
    {
        var liveWeight = RolloutSplits.LiveCandidateWeight(live, candidate);
        var wantedWeight = wanted.Weights?.Where(w => w.Version == candidate).Sum(w => w.Percent) ?? 0;
        return Math.Abs(liveWeight - wantedWeight) < RoutingTable.WeightTolerance
            && (live.Shadow?.Version == wanted.Shadow?.Version)
            && live.RegionOverrides.Count == (wanted.Regions?.Count ?? 0);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Rollout {RolloutId} ({State}) recovered at start: {Outcome}")]
        public static partial void Recovered(ILogger logger, string rolloutId, string state, string outcome);
    }
}
