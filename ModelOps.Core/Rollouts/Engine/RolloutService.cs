using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Audit;
using ModelOps.Core.Common;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>
/// Starts rollouts and carries out operators' commands. Each state change is decided by
/// <see cref="RolloutStateMachine"/> on the stored state inside one audited transaction (the audit
/// gate serialises deciders in this process; the concurrency token refuses a stale one across
/// processes), so two operators pressing rollback at once make one rollback and one audit row.
/// Traffic moves through <see cref="ITrafficRouter"/> after the decision commits. Rollbacks are
/// <see cref="RolloutRollbacks"/>' to carry out.
/// </summary>
public sealed class RolloutService(
    ModelOpsDbContext db, AuditTrail trail, ITrafficRouter router, ModelRegistry registry, RolloutRollbacks rollbacks, RollbackAftercare aftercare, TimeProvider time)
{
    public async Task<Result<Rollout>> StartAsync(RolloutPlan plan, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var started = await trail.ExecuteAsync<Rollout>(async ct =>
        {
            var active = await db.Set<Rollout>().Where(r => r.Model == plan.Model && RolloutStates.Active.Contains(r.State)).FirstOrDefaultAsync(ct);
            if (active is not null)
            {
                return Error.Conflict($"Rollout {active.Id} is {active.State} on '{plan.Model}'; roll it back or promote it before starting another.");
            }

            var rollout = new Rollout
            {
                Id = $"ro-{Guid.NewGuid():N}",
                Model = plan.Model,
                CandidateVersion = plan.CandidateVersion,
                BaselineVersion = plan.RollbackTarget,
                Strategy = plan.Strategy.ToString(),
                State = plan.Strategy == RolloutStrategy.Shadow ? RolloutStates.Shadowing : RolloutStates.Progressing,
                PlanJson = RolloutPlanJson.Write(plan),
                Owner = plan.Owner,
                StartedBy = actor,
                StartedAt = time.GetUtcNow(),
                StepStartedAt = time.GetUtcNow(),
                ConcurrencyToken = Guid.NewGuid(),
            };
            db.Add(rollout);
            return new AuditedChange<Rollout>(rollout, new AuditRecord(actor, "rollout.started", RolloutRollbacks.Target(rollout), new { plan }, plan.Model));
        }, cancellationToken);
        if (!started.IsSuccess)
        {
            return started.Error;
        }

        var rollout = started.Value;
        rollout.CalibrationSnapshotId = await aftercare.SnapshotAsync(rollout, cancellationToken);
        if (rollout.CalibrationSnapshotId is { } snapshot)
        {
            await db.Set<Rollout>().Where(r => r.Id == rollout.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.CalibrationSnapshotId, snapshot), cancellationToken);
        }

        var routed = await router.ChangeAsync(plan.Model, Split(plan, rollout), actor, cancellationToken);
        if (!routed.IsSuccess)
        {
            // Nothing reached users: end the rollout rather than leave it owning traffic it never got.
            await AbortAsync(rollout.Id, $"routing refused: {routed.Error.Detail}", actor, cancellationToken);
            return routed.Error;
        }

        await BakeFromNowAsync(rollout, cancellationToken);
        return rollout;
    }

    /// <summary>
    /// A step's bake counts from when its table is live, not from its decision (the swap warms the
    /// candidate first, which under load takes seconds). Conditional on the decision's concurrency
    /// token: if the rollout was decided again meanwhile (rolled back, say), its clock is not ours to
    /// move. What a step is measured on does not depend on this: <see cref="StepWindow"/> starts
    /// every step's measurements when its split is live here.
    /// </summary>
    private async Task BakeFromNowAsync(Rollout rollout, CancellationToken cancellationToken)
    {
        var live = time.GetUtcNow();
        var moved = await db.Set<Rollout>().Where(r => r.Id == rollout.Id && r.ConcurrencyToken == rollout.ConcurrencyToken)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.StepStartedAt, live), cancellationToken);
        if (moved == 1)
        {
            rollout.StepStartedAt = live;
        }
    }

    /// <summary>Rollback, pause, resume, promote or advance; returns the rollout and whether this call changed it.</summary>
    public async Task<Result<(Rollout Rollout, RolloutTransition Transition)>> CommandAsync(
        string id, RolloutCommand command, string? reason, string actor, CancellationToken cancellationToken)
    {
        if (command is RolloutCommand.Rollback or RolloutCommand.Promote && string.IsNullOrWhiteSpace(reason))
        {
            return Error.Invalid("reason", $"A reason is required to {command.ToString().ToLowerInvariant()}; say why, for the incident and the audit log.");
        }

        if (command == RolloutCommand.Rollback)
        {
            return await rollbacks.RollbackAsync(id, new RollbackTrigger(RollbackTrigger.Kinds.Manual, actor, reason!), cancellationToken);
        }

        var decided = await trail.ExecuteAsync<(Rollout, RolloutTransition)>(async ct =>
        {
            var rollout = await db.Set<Rollout>().SingleOrDefaultAsync(r => r.Id == id, ct);
            if (rollout is null)
            {
                return RolloutErrors.NotFound(id);
            }

            var transition = RolloutStateMachine.Decide(rollout.State, command, rollout.ResumeState);
            if (!transition.IsSuccess || !transition.Value.Changed)
            {
                return transition.Map(t => new AuditedChange<(Rollout, RolloutTransition)>((rollout, t), null));
            }

            if (command == RolloutCommand.Advance && RolloutPlanJson.Read(rollout.PlanJson) is { } plan && ShadowBlocked(rollout, plan) is { } blocked)
            {
                return Error.Conflict(blocked);
            }

            var to = transition.Value.To;
            rollout.ResumeState = to == RolloutStates.Paused ? rollout.State : null;
            rollout.State = to;
            rollout.ConcurrencyToken = Guid.NewGuid();
            if (command == RolloutCommand.Advance)
            {
                rollout.StepIndex = 0;
                rollout.StepStartedAt = time.GetUtcNow();
            }

            if (!RolloutStates.IsActive(to))
            {
                rollout.EndedAt = time.GetUtcNow();
                rollout.EndReason = reason;
            }

            var audit = new AuditRecord(actor, $"rollout.{to}", RolloutRollbacks.Target(rollout),
                new { from = transition.Value.From, to, reason }, rollout.Model);
            return new AuditedChange<(Rollout, RolloutTransition)>((rollout, transition.Value), audit);
        }, cancellationToken);
        if (!decided.IsSuccess || !decided.Value.Item2.Changed)
        {
            return decided;
        }

        var (changed, done) = decided.Value;
        var moved = command switch
        {
            RolloutCommand.Promote => await PromoteTrafficAsync(changed, reason, actor, cancellationToken),
            RolloutCommand.Advance => (await router.ChangeAsync(changed.Model, Split(RolloutPlanJson.Read(changed.PlanJson)!, changed), actor, cancellationToken)).Map(_ => true),
            _ => true,
        };
        if (moved.IsSuccess && command == RolloutCommand.Advance)
        {
            await BakeFromNowAsync(changed, cancellationToken);
        }

        return moved.IsSuccess ? (changed, done) : moved.Error;
    }

    /// <summary>
    /// The current step has baked with every guardrail passing: the next step goes live, or, after
    /// the last, the candidate is promoted. Refused (Conflict) unless the rollout is still
    /// progressing on <paramref name="fromStep"/>, so a late or repeated call does nothing.
    /// </summary>
    public async Task<Result<Rollout>> AdvanceAsync(string id, int fromStep, string actor, CancellationToken cancellationToken)
    {
        var advanced = await trail.ExecuteAsync<(Rollout Rollout, RolloutPlan? Plan)>(async ct =>
        {
            var rollout = await db.Set<Rollout>().SingleOrDefaultAsync(r => r.Id == id, ct);
            if (rollout is not { State: RolloutStates.Progressing } || rollout.StepIndex != fromStep)
            {
                return Error.Conflict($"Rollout '{id}' is no longer progressing on step {fromStep + 1}; nothing advanced.");
            }

            var plan = RolloutPlanJson.Read(rollout.PlanJson);
            if (plan is null || fromStep + 1 >= plan.Steps.Count)
            {
                return new AuditedChange<(Rollout, RolloutPlan?)>((rollout, null), null);
            }

            rollout.StepIndex = fromStep + 1;
            rollout.StepStartedAt = time.GetUtcNow();
            rollout.ConcurrencyToken = Guid.NewGuid();
            var step = plan.Steps[rollout.StepIndex];
            return new AuditedChange<(Rollout, RolloutPlan?)>((rollout, plan), new AuditRecord(
                actor, "rollout.advanced", RolloutRollbacks.Target(rollout), new { step = rollout.StepIndex + 1, weight = step.Weight, regions = step.Regions }, rollout.Model));
        }, cancellationToken);
        if (!advanced.IsSuccess)
        {
            return advanced.Error;
        }

        var (current, next) = advanced.Value;
        if (next is null)
        {
            var promoted = await CommandAsync(id, RolloutCommand.Promote, "every step baked with every guardrail passing", actor, cancellationToken);
            return promoted.IsSuccess ? promoted.Value.Rollout : promoted.Error;
        }

        var routed = await router.ChangeAsync(current.Model, Split(next, current), actor, cancellationToken);
        if (!routed.IsSuccess)
        {
            return routed.Error; // the step is decided; RolloutRecovery.RepairAsync carries its swap out
        }

        await BakeFromNowAsync(current, cancellationToken);
        return current;
    }

    public Task<Rollout?> FindAsync(string id, CancellationToken cancellationToken) =>
        db.Set<Rollout>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);

    public async Task<IReadOnlyList<Rollout>> ListAsync(string? model, string? state, CancellationToken cancellationToken)
    {
        var rows = db.Set<Rollout>().AsNoTracking();
        rows = model is null ? rows : rows.Where(r => r.Model == model);
        rows = state is null ? rows : rows.Where(r => r.State == state);
        var list = await rows.ToListAsync(cancellationToken);
        return [.. list.OrderByDescending(r => r.StartedAt)];
    }

    /// <summary>The split the rollout's state and step ask for (<see cref="RolloutSplits.EffectiveStep"/>; shadow phase: mirror only).</summary>
    public static RoutingChange Split(RolloutPlan plan, Rollout rollout)
    {
        return RolloutSplits.Step(plan, RolloutSplits.EffectiveStep(plan, rollout));
    }

    /// <summary>Why a shadow rollout may not move to canary yet: a shadow guardrail that fails (the judge's latest verdicts).</summary>
    private static string? ShadowBlocked(Rollout rollout, RolloutPlan plan)
    {
        var failing = JudgeRecord.Read(rollout.JudgeJson)?.Verdicts.Where(v => v.Status == VerdictStatus.Fail).ToList() ?? [];
        return failing.Count == 0 ? null
            : $"A shadow guardrail fails, so v{plan.CandidateVersion} may not take live traffic yet: {string.Join("; ", failing.Select(v => $"{v.Metric.ToWire()}: {v.Reason}"))}";
    }

    private async Task<Result<bool>> PromoteTrafficAsync(Rollout rollout, string? reason, string actor, CancellationToken cancellationToken)
    {
        var moved = await registry.MoveAliasAsync(rollout.Model, ModelAlias.Champion, rollout.CandidateVersion, $"promoted by {rollout.Id}: {reason}", actor, cancellationToken);
        return moved.IsSuccess
            ? (await router.ChangeAsync(rollout.Model, RoutingChange.AllTo(rollout.CandidateVersion, $"promotion of {rollout.Id}", router.Current(rollout.Model)), actor, cancellationToken)).Map(_ => true)
            : moved.Error;
    }

    private async Task AbortAsync(string id, string reason, string actor, CancellationToken cancellationToken) =>
        await trail.ExecuteAsync<bool>(async ct =>
        {
            var rollout = await db.Set<Rollout>().SingleAsync(r => r.Id == id, ct);
            rollout.State = RolloutStates.Aborted;
            rollout.EndedAt = time.GetUtcNow();
            rollout.EndReason = reason;
            rollout.ConcurrencyToken = Guid.NewGuid();
            return new AuditedChange<bool>(true, new AuditRecord(actor, $"rollout.{RolloutStates.Aborted}", RolloutRollbacks.Target(rollout), new { reason }, rollout.Model));
        }, cancellationToken);
}
