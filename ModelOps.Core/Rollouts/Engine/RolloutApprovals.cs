using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Audit;
using ModelOps.Core.Common;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>
/// Soft triggers wait for a person. Raising one pauses the rollout at its current weight
/// (<c>awaitingApproval</c>; a plan with <c>rollback.onSoftTrigger</c> <c>stepDown</c> goes back
/// one canary step meanwhile, and a <c>continue</c> restores the step) with the evidence; an Approver who did not start the rollout decides
/// <c>revert</c> (a rollback) or <c>continue</c> (back to where it was once nothing else is
/// pending); undecided past the plan's time-out, it reverts — the safe default. Each decision is
/// one audited transaction on the stored state, so two approvers at once make one decision.
/// </summary>
public sealed class RolloutApprovals(ModelOpsDbContext db, AuditTrail trail, RolloutRollbacks rollbacks, ITrafficRouter router, TimeProvider time)
{
    /// <summary>The actor of a time-out's revert.</summary>
    public const string TimeoutActor = "modelops-approvals";

    public async Task<Result<RolloutApproval>> RaiseAsync(string rolloutId, ApprovalRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Rollout? held = null;
        var raised = await trail.ExecuteAsync<RolloutApproval>(async ct =>
        {
            var rollout = await db.Set<Rollout>().SingleOrDefaultAsync(r => r.Id == rolloutId, ct);
            if (rollout is null)
            {
                return RolloutErrors.NotFound(rolloutId);
            }

            if (!RolloutStates.IsActive(rollout.State) || rollout.State == RolloutStates.RollingBack)
            {
                return Error.Conflict($"Rollout {rollout.Id} is {rollout.State}; a soft trigger is raised only on a rollout that still moves traffic forward.");
            }

            var plan = RolloutPlanJson.Read(rollout.PlanJson)!;
            var now = time.GetUtcNow();
            var approval = new RolloutApproval
            {
                Id = $"ap-{Guid.NewGuid():N}",
                RolloutId = rollout.Id,
                Kind = request.Kind,
                Reason = request.Reason,
                EvidenceJson = JsonSerializer.Serialize(request.Evidence, JudgeRecord.JsonOptions),
                RaisedBy = request.Actor,
                RaisedAt = now,
                DueAt = now.AddSeconds(plan.ApprovalTimeoutSeconds),
                Status = ApprovalStatuses.Pending,
            };
            db.Add(approval);
            var from = rollout.State;
            if (from != RolloutStates.AwaitingApproval)
            {
                rollout.ResumeState = from == RolloutStates.Paused ? rollout.ResumeState ?? RolloutStates.Progressing : from;
                rollout.State = RolloutStates.AwaitingApproval;
                held = plan.SoftTriggerStepsDown && RolloutSplits.EffectiveStep(plan, rollout) < rollout.StepIndex ? rollout : null;
            }

            rollout.ConcurrencyToken = Guid.NewGuid();
            return new AuditedChange<RolloutApproval>(approval, new AuditRecord(request.Actor, "rollout.approvalRequested", RolloutRollbacks.Target(rollout),
                new { from, approvalId = approval.Id, kind = request.Kind, reason = request.Reason, dueAt = approval.DueAt, stepDown = held is not null }, rollout.Model));
        }, cancellationToken);
        if (raised.IsSuccess && held is not null)
        {
            // The decision is stored; recovery re-applies this split if the process dies before it.
            _ = await ApplySplitAsync(held, request.Actor, cancellationToken);
        }

        return raised;
    }

    private async Task<Result<RoutingTable>> ApplySplitAsync(Rollout rollout, string actor, CancellationToken cancellationToken) =>
        await router.ChangeAsync(rollout.Model, RolloutService.Split(RolloutPlanJson.Read(rollout.PlanJson)!, rollout), actor, cancellationToken);

    /// <summary>An approver's decision. The rollout's initiator is refused (403, audited).</summary>
    public async Task<Result<ApprovalOutcome>> DecideAsync(string rolloutId, string approvalId, string? decision, string? reason, string actor, CancellationToken cancellationToken)
    {
        if (decision is not (ApprovalStatuses.DecisionRevert or ApprovalStatuses.DecisionContinue))
        {
            return Error.Invalid("decision", $"\"decision\" is '{decision}'; send \"revert\" (roll back) or \"continue\" (carry on from where it paused).");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return Error.Invalid("reason", "A reason is required to decide an approval; say why, for the incident and the audit log.");
        }

        var decisionStarted = time.GetTimestamp();
        Rollout? denied = null;
        // A revert is a rollback: its decision goes ahead of background writers (MoveTrafficAsync's swap does too).
        Result<ApprovalOutcome> decided;
        using (decision == ApprovalStatuses.DecisionRevert ? trail.Urgent() : null)
        {
            decided = await trail.ExecuteAsync<ApprovalOutcome>(async ct =>
            {
                var rollout = await db.Set<Rollout>().SingleOrDefaultAsync(r => r.Id == rolloutId, ct);
                var approval = rollout is null ? null : await db.Set<RolloutApproval>().SingleOrDefaultAsync(a => a.Id == approvalId && a.RolloutId == rolloutId, ct);
                if (rollout is null || approval is null)
                {
                    return Error.NotFound($"No approval '{approvalId}' on rollout '{rolloutId}'; GET /api/rollouts/{rolloutId} lists its approvals.");
                }

                if (string.Equals(rollout.StartedBy, actor, StringComparison.Ordinal))
                {
                    denied = rollout;
                    return Error.Forbidden($"{actor} started rollout {rollout.Id} and may not decide its approvals (four eyes); another Approver must.");
                }

                if (approval.Status != ApprovalStatuses.Pending)
                {
                    return Error.Conflict($"Approval {approval.Id} was already decided: {approval.Status} by {approval.DecidedBy ?? "the system"} at {approval.DecidedAt:O}.");
                }

                approval.DecidedBy = actor;
                approval.DecidedAt = time.GetUtcNow();
                approval.DecisionReason = reason;
                if (decision == ApprovalStatuses.DecisionRevert)
                {
                    approval.Status = ApprovalStatuses.Reverted;
                    var rolledBack = await rollbacks.DecideAsync(rollout, new RollbackTrigger(RollbackTrigger.Kinds.ApprovalRevert, actor, reason, ApprovalId: approval.Id), ct);
                    return rolledBack.Map(change => new AuditedChange<ApprovalOutcome>(new ApprovalOutcome(approval, change.Value.Item1, change.Value.Item2), change.Audit));
                }

                approval.Status = ApprovalStatuses.Continued;
                var from = rollout.State;
                var others = await db.Set<RolloutApproval>().AnyAsync(a => a.RolloutId == rollout.Id && a.Status == ApprovalStatuses.Pending && a.Id != approval.Id, ct);
                if (!others && from == RolloutStates.AwaitingApproval)
                {
                    rollout.State = rollout.ResumeState ?? RolloutStates.Progressing;
                    rollout.ResumeState = null;
                }

                rollout.ConcurrencyToken = Guid.NewGuid();
                var transition = new RolloutTransition(from, rollout.State, from != rollout.State,
                    others ? "Continued; other approvals are still pending, so the rollout stays paused." : $"Continued: the rollout is {rollout.State} again.");
                return new AuditedChange<ApprovalOutcome>(new ApprovalOutcome(approval, rollout, transition), new AuditRecord(actor, "rollout.approvalContinued",
                    RolloutRollbacks.Target(rollout), new { from, to = rollout.State, approvalId = approval.Id, kind = approval.Kind, reason }, rollout.Model));
            }, cancellationToken);
        }

        if (denied is not null)
        {
            await trail.AppendAsync(new AuditRecord(actor, "approval.denied", $"approval:{approvalId}",
                new { rolloutId, reason = "the rollout's initiator may not decide its approvals" }, denied.Model), cancellationToken);
        }

        if (decided.IsSuccess && decided.Value.Transition.Changed && decided.Value.Rollout.State is RolloutStates.RolledBack or RolloutStates.RollingBack)
        {
            var moved = await rollbacks.MoveTrafficAsync(decided.Value.Rollout, decisionStarted, cancellationToken);
            return moved.IsSuccess ? decided : moved.Error;
        }

        if (decided.IsSuccess && decided.Value.Transition.Changed && decided.Value.Rollout.StepIndex > 0
            && RolloutPlanJson.Read(decided.Value.Rollout.PlanJson) is { SoftTriggerStepsDown: true })
        {
            var restored = await ApplySplitAsync(decided.Value.Rollout, actor, cancellationToken); // back to the step it stepped down from
            return restored.IsSuccess ? decided : restored.Error;
        }

        return decided;
    }

    /// <summary>Reverts every pending approval past its time-out; returns how many.</summary>
    public async Task<int> TimeOutAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await db.Set<RolloutApproval>().AsNoTracking().Where(a => a.Status == ApprovalStatuses.Pending).ToListAsync(cancellationToken);
        var reverted = 0;
        foreach (var approval in due.Where(a => a.DueAt <= now))
        {
            var decisionStarted = time.GetTimestamp();
            Result<(Rollout, RolloutTransition)> decided;
            using (trail.Urgent())
            {
                decided = await trail.ExecuteAsync<(Rollout, RolloutTransition)>(async ct =>
                {
                    var stored = await db.Set<RolloutApproval>().SingleAsync(a => a.Id == approval.Id, ct);
                    var rollout = await db.Set<Rollout>().SingleAsync(r => r.Id == approval.RolloutId, ct);
                    if (stored.Status != ApprovalStatuses.Pending)
                    {
                        return Error.Conflict("decided meanwhile");
                    }

                    stored.Status = ApprovalStatuses.TimedOut;
                    stored.DecidedAt = now;
                    stored.DecisionReason = $"no decision within {(stored.DueAt - stored.RaisedAt).TotalSeconds:0} s: the safe default, revert";
                    return await rollbacks.DecideAsync(rollout, new RollbackTrigger(RollbackTrigger.Kinds.ApprovalTimeout, TimeoutActor,
                        $"approval {stored.Id} ({stored.Kind}) timed out undecided: {stored.Reason}", ApprovalId: stored.Id), ct);
                }, cancellationToken);
            }

            if (decided.IsSuccess)
            {
                reverted++;
                _ = await rollbacks.MoveTrafficAsync(decided.Value.Item1, decided.Value.Item2.Changed ? decisionStarted : null, cancellationToken);
            }
        }

        return reverted;
    }

    public async Task<IReadOnlyList<RolloutApproval>> ListAsync(string rolloutId, CancellationToken cancellationToken)
    {
        var list = await db.Set<RolloutApproval>().AsNoTracking().Where(a => a.RolloutId == rolloutId).ToListAsync(cancellationToken);
        return [.. list.OrderBy(a => a.RaisedAt)];
    }
}

/// <summary>A soft trigger to raise: its kind (<see cref="RolloutApproval.Kind"/>), who or what raised it, why, and the evidence.</summary>
public sealed record ApprovalRequest(string Kind, string Actor, string Reason, object Evidence);

public sealed record ApprovalOutcome(RolloutApproval Approval, Rollout Rollout, RolloutTransition Transition);
