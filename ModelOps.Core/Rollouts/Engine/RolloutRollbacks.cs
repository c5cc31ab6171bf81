using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Audit;
using ModelOps.Core.Common;
using ModelOps.Core.Incidents;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>
/// Every rollback, whoever decides it: the decision (state, trigger, incident, frozen candidate,
/// withdrawn approvals) commits as one audited transaction, then traffic moves in one swap and the
/// time from the decision to the new table live is recorded on the rollout. A <c>staged</c> plan
/// steps the candidate down through its weights instead, a hold at each; a hard guardrail failing
/// during a hold ends it at once. A rollback already decided is not decided again: the caller is
/// told so, and an interrupted swap (the process died after the commit) is completed.
/// </summary>
public sealed class RolloutRollbacks(
    ModelOpsDbContext db, AuditTrail trail, ITrafficRouter router, IncidentRecorder incidents, RollbackAftercare aftercare, TimeProvider time)
{
    public async Task<Result<(Rollout Rollout, RolloutTransition Transition)>> RollbackAsync(string id, RollbackTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        Result<(Rollout Rollout, RolloutTransition Transition)> decided;
        Result<bool> moved;
        using (trail.Urgent())
        {
            // The decision and the swap go ahead of this process's other writers (the verification,
            // replay and evidence writes of earlier incidents); the aftercare below does not.
            var decisionStarted = time.GetTimestamp();
            decided = await trail.ExecuteAsync<(Rollout, RolloutTransition)>(async ct =>
            {
                var rollout = await db.Set<Rollout>().SingleOrDefaultAsync(r => r.Id == id, ct);
                return rollout is null ? RolloutErrors.NotFound(id) : await DecideAsync(rollout, trigger, ct);
            }, cancellationToken);
            if (!decided.IsSuccess)
            {
                return decided;
            }

            moved = await SwapAsync(decided.Value.Rollout, decided.Value.Transition.Changed ? decisionStarted : null, cancellationToken);
        }

        var (rollout, transition) = decided.Value;
        if (moved.IsSuccess)
        {
            await AftercareAsync(rollout, cancellationToken);
        }

        // Already decided: this call only finishes a swap a crash may have interrupted. If the
        // deciding caller's swap is still in flight, that swap is the outcome; report the decision.
        return moved.IsSuccess || !transition.Changed ? decided : moved.Error;
    }

    /// <summary>
    /// Decides a rollback of the tracked <paramref name="rollout"/> inside the caller's audited
    /// transaction (an approver's revert shares its transaction with the approval's decision).
    /// </summary>
    internal async Task<Result<AuditedChange<(Rollout, RolloutTransition)>>> DecideAsync(Rollout rollout, RollbackTrigger trigger, CancellationToken cancellationToken)
    {
        var from = rollout.State;
        if (from == RolloutStates.RollingBack && trigger.Kind == RollbackTrigger.Kinds.Hard)
        {
            End(rollout, trigger.Reason);
            return Changed(rollout, from, trigger, "A hard guardrail failed during a staged rollback's hold: all traffic to the rollback target.");
        }

        var decision = RolloutStateMachine.Decide(from, RolloutCommand.Rollback);
        if (!decision.IsSuccess)
        {
            return decision.Error;
        }

        if (!decision.Value.Changed)
        {
            return new AuditedChange<(Rollout, RolloutTransition)>((rollout, decision.Value), null);
        }

        var plan = RolloutPlanJson.Read(rollout.PlanJson) ?? throw new InvalidOperationException($"Rollout {rollout.Id} has no readable plan.");
        var live = router.Current(rollout.Model);
        var now = time.GetUtcNow();
        var incident = await incidents.OpenAsync(rollout, trigger, live, now, cancellationToken);
        var pending = await db.Set<RolloutApproval>()
            .Where(a => a.RolloutId == rollout.Id && a.Status == ApprovalStatuses.Pending && a.Id != trigger.ApprovalId)
            .ToListAsync(cancellationToken);
        foreach (var approval in pending)
        {
            approval.Status = ApprovalStatuses.Withdrawn;
            approval.DecidedAt = now;
            approval.DecisionReason = $"withdrawn: the rollout was rolled back ({trigger.Kind})";
        }

        rollout.Trigger = trigger.Kind;
        rollout.IncidentId = incident.Id;
        rollout.DecidedAt = now;
        rollout.FirstFailingAt = trigger.FirstFailingAt;
        var liveWeight = RolloutSplits.LiveCandidateWeight(live, rollout.CandidateVersion);
        var first = plan.StagedRollback ? RolloutSplits.FirstRollbackStep(plan, liveWeight) : -1;
        if (first >= 0 && plan.RollbackSteps[first].Weight > 0)
        {
            rollout.State = RolloutStates.RollingBack;
            rollout.RollbackStepIndex = first;

            // Each hold is judged afresh: the incident keeps the verdicts that decided.
            rollout.JudgeJson = null;
            rollout.StepStartedAt = now;
            rollout.ConcurrencyToken = Guid.NewGuid();
            return Changed(rollout, from, trigger, $"Rolling back in stages: the candidate down to {plan.RollbackSteps[first].Weight}% first; incident {incident.Id} opened.");
        }

        End(rollout, trigger.Reason);
        return Changed(rollout, from, trigger, $"Rolled back: all traffic to v{rollout.BaselineVersion}; incident {incident.Id} opened.");
    }

    /// <summary>
    /// A staged rollback's hold has passed: the next, lower step goes live, or at weight 0 the
    /// rollback completes. Refused unless still rolling back on <paramref name="fromIndex"/>.
    /// </summary>
    public async Task<Result<Rollout>> StepDownAsync(string id, int fromIndex, string actor, CancellationToken cancellationToken)
    {
        // A step down is part of a rollback: its decision goes ahead of background writers, as its swap does.
        Result<Rollout> decided;
        using (trail.Urgent())
        {
            decided = await trail.ExecuteAsync<Rollout>(async ct =>
            {
                var rollout = await db.Set<Rollout>().SingleOrDefaultAsync(r => r.Id == id, ct);
                if (rollout is not { State: RolloutStates.RollingBack } || rollout.RollbackStepIndex != fromIndex)
                {
                    return Error.Conflict($"Rollout '{id}' is no longer holding rollback step {fromIndex + 1}; nothing changed.");
                }

                var plan = RolloutPlanJson.Read(rollout.PlanJson)!;
                var next = fromIndex + 1;
                if (next >= plan.RollbackSteps.Count || plan.RollbackSteps[next].Weight <= 0)
                {
                    End(rollout, $"staged rollback completed after {fromIndex + 1} hold(s)");
                    return new AuditedChange<Rollout>(rollout, new AuditRecord(actor, $"rollout.{RolloutStates.RolledBack}", Target(rollout),
                        new { from = RolloutStates.RollingBack, stagedHolds = fromIndex + 1, incidentId = rollout.IncidentId }, rollout.Model));
                }

                rollout.RollbackStepIndex = next;
                rollout.StepStartedAt = time.GetUtcNow();
                rollout.ConcurrencyToken = Guid.NewGuid();
                return new AuditedChange<Rollout>(rollout, new AuditRecord(actor, "rollout.rollbackStep", Target(rollout),
                    new { hold = next + 1, weight = plan.RollbackSteps[next].Weight, incidentId = rollout.IncidentId }, rollout.Model));
            }, cancellationToken);
        }

        if (!decided.IsSuccess)
        {
            return decided.Error;
        }

        var moved = await MoveTrafficAsync(decided.Value, null, cancellationToken);
        return moved.IsSuccess ? decided.Value : moved.Error;
    }

    /// <summary>
    /// Puts the model's traffic where the rollout's (rolling-back or rolled-back) state says, if it
    /// is not there yet; records decision → restore when <paramref name="decisionStarted"/> is given.
    /// Idempotent, so it also completes a swap a crash interrupted.
    /// </summary>
    public async Task<Result<bool>> MoveTrafficAsync(Rollout rollout, long? decisionStarted, CancellationToken cancellationToken)
    {
        Result<bool> moved;
        using (trail.Urgent())
        {
            moved = await SwapAsync(rollout, decisionStarted, cancellationToken);
        }

        if (moved.IsSuccess)
        {
            await AftercareAsync(rollout, cancellationToken);
        }

        return moved;
    }

    private async Task AftercareAsync(Rollout rollout, CancellationToken cancellationToken)
    {
        await aftercare.CopyEvidenceAsync(rollout, cancellationToken);
        if (rollout.State == RolloutStates.RolledBack)
        {
            await aftercare.ApplyAsync(rollout, cancellationToken);
        }
    }

    private async Task<Result<bool>> SwapAsync(Rollout rollout, long? decisionStarted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var plan = RolloutPlanJson.Read(rollout.PlanJson);
        for (var attempt = 0; ; attempt++)
        {
            var live = router.Current(rollout.Model);
            RoutingChange change;
            if (rollout.State == RolloutStates.RollingBack && plan is not null && rollout.RollbackStepIndex is { } hold)
            {
                change = RolloutSplits.RollbackStep(plan, hold, RolloutSplits.LiveCandidateWeight(live, rollout.CandidateVersion), live?.Generation ?? 0);
                if (live is not null && Math.Abs(RolloutSplits.LiveCandidateWeight(live, rollout.CandidateVersion) - change.Weights![1].Percent) < RoutingTable.WeightTolerance)
                {
                    break;
                }
            }
            else if (rollout.State == RolloutStates.RolledBack)
            {
                if (live is not null && !live.RoutableVersions.Contains(rollout.CandidateVersion) && live.Shadow is null)
                {
                    break;
                }

                change = RoutingChange.AllTo(rollout.BaselineVersion, $"rollback of {rollout.Id} ({rollout.Trigger}): {rollout.EndReason}", live);
            }
            else
            {
                return true;
            }

            var routed = await router.ChangeAsync(rollout.Model, change, RolloutEvaluator.Actor, cancellationToken);
            if (routed.IsSuccess)
            {
                break;
            }

            // A concurrent writer moved the table first: look again (it may have done this very move).
            if (routed.Error.Kind != ErrorKind.Conflict || attempt >= 4)
            {
                return routed.Error;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20 * (attempt + 1)), cancellationToken);
        }

        if (decisionStarted is { } started)
        {
            var restoreMs = time.GetElapsedTime(started).TotalMilliseconds;
            double? detectionMs = rollout.FirstFailingAt is { } first && rollout.DecidedAt is { } decided ? (decided - first).TotalMilliseconds + restoreMs : null;
            await db.Set<Rollout>().Where(r => r.Id == rollout.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.DecisionToRestoreMs, restoreMs).SetProperty(r => r.DetectionToRestoreMs, detectionMs), cancellationToken);
            rollout.DecisionToRestoreMs = restoreMs;
            rollout.DetectionToRestoreMs = detectionMs;
        }

        return true;
    }

    private void End(Rollout rollout, string reason)
    {
        rollout.State = RolloutStates.RolledBack;
        rollout.RollbackStepIndex = null;
        rollout.ResumeState = null;
        rollout.EndedAt = time.GetUtcNow();
        rollout.EndReason = reason;
        rollout.ConcurrencyToken = Guid.NewGuid();
    }

    private static AuditedChange<(Rollout, RolloutTransition)> Changed(Rollout rollout, string from, RollbackTrigger trigger, string detail)
    {
        var tripped = trigger.Verdicts?.Where(v => v.Status == VerdictStatus.Fail).ToList();
        var details = new { from, trigger = trigger.Kind, reason = trigger.Reason, incidentId = rollout.IncidentId, approvalId = trigger.ApprovalId, tripped };
        return new((rollout, new RolloutTransition(from, rollout.State, true, detail)),
            new AuditRecord(trigger.Actor, $"rollout.{rollout.State}", Target(rollout), details, rollout.Model));
    }

    internal static string Target(Rollout rollout) => Rollout.AuditTarget(rollout.Id);
}
