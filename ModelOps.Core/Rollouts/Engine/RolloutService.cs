using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Audit;
using ModelOps.Core.Common;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>
/// Starts rollouts and carries out operators' commands. Each state change is decided by
/// <see cref="RolloutStateMachine"/> on the stored state inside one audited transaction (the audit
/// gate serialises deciders in this process; the concurrency token refuses a stale one across
/// processes), so two operators pressing rollback at once make one rollback and one audit row.
/// Traffic moves through <see cref="ITrafficRouter"/> after the decision commits.
/// </summary>
public sealed class RolloutService(ModelOpsDbContext db, AuditTrail trail, ITrafficRouter router, ModelRegistry registry, TimeProvider time)
{
    public async Task<Result<Rollout>> StartAsync(RolloutPlan plan, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var started = await trail.ExecuteAsync<Rollout>(async ct =>
        {
            var active = await ActiveOnAsync(plan.Model, ct);
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
            return new AuditedChange<Rollout>(rollout, new AuditRecord(actor, "rollout.started", Target(rollout), new { plan }, plan.Model));
        }, cancellationToken);
        if (!started.IsSuccess)
        {
            return started.Error;
        }

        var routed = await router.ChangeAsync(plan.Model, StepSplit(plan, 0), actor, cancellationToken);
        if (!routed.IsSuccess)
        {
            // Nothing reached users: end the rollout rather than leave it owning traffic it never got.
            await EndAsync(started.Value.Id, RolloutStates.Aborted, $"routing refused: {routed.Error.Detail}", actor, cancellationToken);
            return routed.Error;
        }

        return started.Value;
    }

    /// <summary>Rollback, pause, resume or promote; returns the rollout and whether this call changed it.</summary>
    public async Task<Result<(Rollout Rollout, RolloutTransition Transition)>> CommandAsync(
        string id, RolloutCommand command, string? reason, string actor, CancellationToken cancellationToken)
    {
        if (command is RolloutCommand.Rollback or RolloutCommand.Promote && string.IsNullOrWhiteSpace(reason))
        {
            return Error.Invalid("reason", $"A reason is required to {command.ToString().ToLowerInvariant()}; say why, for the incident and the audit log.");
        }

        var decided = await trail.ExecuteAsync<(Rollout, RolloutTransition)>(async ct =>
        {
            var rollout = await db.Set<Rollout>().SingleOrDefaultAsync(r => r.Id == id, ct);
            if (rollout is null)
            {
                return Error.NotFound($"No rollout '{id}'; GET /api/rollouts lists them.");
            }

            var transition = RolloutStateMachine.Decide(rollout.State, command);
            if (!transition.IsSuccess)
            {
                return transition.Error;
            }

            if (!transition.Value.Changed)
            {
                return new AuditedChange<(Rollout, RolloutTransition)>((rollout, transition.Value), null);
            }

            Apply(rollout, transition.Value.To, reason);
            var audit = new AuditRecord(actor, $"rollout.{transition.Value.To}", Target(rollout), new { from = transition.Value.From, reason }, rollout.Model);
            return new AuditedChange<(Rollout, RolloutTransition)>((rollout, transition.Value), audit);
        }, cancellationToken);
        if (!decided.IsSuccess)
        {
            return decided;
        }

        var (changed, done) = decided.Value;
        if (!done.Changed)
        {
            // Already rolled back, but the candidate may still be routed (the process died between
            // the decision's commit and the swap): finish the swap. A concurrent caller's swap makes
            // this one a generation conflict, which is the same outcome.
            if (command == RolloutCommand.Rollback && router.Current(changed.Model)?.RoutableVersions.Contains(changed.CandidateVersion) == true)
            {
                _ = await MoveTrafficAsync(changed, command, changed.EndReason, actor, cancellationToken);
            }

            return decided;
        }

        var moved = await MoveTrafficAsync(changed, command, reason, actor, cancellationToken);
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
                actor, "rollout.advanced", Target(rollout), new { step = rollout.StepIndex + 1, weight = step.Weight }, rollout.Model));
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

        var routed = await router.ChangeAsync(current.Model, StepSplit(next, current.StepIndex), actor, cancellationToken);
        return routed.IsSuccess ? current : routed.Error;
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

    private async Task<Result<bool>> MoveTrafficAsync(Rollout rollout, RolloutCommand command, string? reason, string actor, CancellationToken cancellationToken)
    {
        var live = router.Current(rollout.Model);
        switch (command)
        {
            case RolloutCommand.Rollback:
                return (await router.ChangeAsync(rollout.Model, RoutingChange.AllTo(rollout.BaselineVersion, $"rollback of {rollout.Id}: {reason}", live), actor, cancellationToken)).Map(_ => true);
            case RolloutCommand.Promote:
                var moved = await registry.MoveAliasAsync(rollout.Model, "champion", rollout.CandidateVersion, $"promoted by {rollout.Id}: {reason}", actor, cancellationToken);
                return moved.IsSuccess
                    ? (await router.ChangeAsync(rollout.Model, RoutingChange.AllTo(rollout.CandidateVersion, $"promotion of {rollout.Id}", router.Current(rollout.Model)), actor, cancellationToken)).Map(_ => true)
                    : moved.Error;
            default:
                return true;
        }
    }

    private async Task EndAsync(string id, string state, string reason, string actor, CancellationToken cancellationToken) =>
        await trail.ExecuteAsync<bool>(async ct =>
        {
            var rollout = await db.Set<Rollout>().SingleAsync(r => r.Id == id, ct);
            Apply(rollout, state, reason);
            return new AuditedChange<bool>(true, new AuditRecord(actor, $"rollout.{state}", Target(rollout), new { reason }, rollout.Model));
        }, cancellationToken);

    private void Apply(Rollout rollout, string state, string? reason)
    {
        rollout.State = state;
        rollout.ConcurrencyToken = Guid.NewGuid();
        if (!RolloutStates.IsActive(state))
        {
            rollout.EndedAt = time.GetUtcNow();
            rollout.EndReason = reason;
        }
    }

    private Task<Rollout?> ActiveOnAsync(string model, CancellationToken cancellationToken) =>
        db.Set<Rollout>().Where(r => r.Model == model && RolloutStates.Active.Contains(r.State)).FirstOrDefaultAsync(cancellationToken);

    /// <summary>A step's split: the candidate's weight beside the baseline, or a mirror for a shadow rollout.</summary>
    private static RoutingChange StepSplit(RolloutPlan plan, int stepIndex)
    {
        var reason = $"rollout of v{plan.CandidateVersion}: step {stepIndex + 1} of {plan.Steps.Count}";
        if (plan.Strategy == RolloutStrategy.Shadow)
        {
            return new RoutingChange([new RouteWeight(plan.RollbackTarget, 100)], null, new ShadowMirror(plan.CandidateVersion, plan.ShadowShare), plan.RollbackTarget, plan.CandidateVersion, reason, null);
        }

        var weight = plan.Steps[stepIndex].Weight;
        IReadOnlyList<RouteWeight> weights = weight >= 100
            ? [new RouteWeight(plan.RollbackTarget, 0), new RouteWeight(plan.CandidateVersion, 100)]
            : [new RouteWeight(plan.RollbackTarget, 100 - weight), new RouteWeight(plan.CandidateVersion, weight)];
        return new RoutingChange(weights, null, null, plan.RollbackTarget, plan.CandidateVersion, reason, null);
    }

    private static string Target(Rollout rollout) => $"rollout:{rollout.Id}";
}
