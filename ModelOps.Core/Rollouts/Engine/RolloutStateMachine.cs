using ModelOps.Core.Common;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>
/// The commands' transitions, pure: state + command → new state, "already done", or a conflict
/// saying why not. A terminal rollout (promoted, rolled back, aborted) accepts only the command
/// that ended it, as a no-op. <paramref name="resumeState"/> is where a paused rollout returns
/// (shadowing or progressing). A staged rollback in progress is already a rollback.
/// </summary>
public static class RolloutStateMachine
{
    public static Result<RolloutTransition> Decide(string state, RolloutCommand command, string? resumeState = null) => (command, state) switch
    {
        (RolloutCommand.Rollback, RolloutStates.RolledBack) => Same(state, "The rollout is already rolled back; nothing changed."),
        (RolloutCommand.Rollback, RolloutStates.RollingBack) => Same(state, "The rollout is already rolling back in stages; nothing changed."),
        (RolloutCommand.Rollback, _) when RolloutStates.IsActive(state) => Move(state, RolloutStates.RolledBack, "Rolled back: all traffic to the rollback target."),
        (RolloutCommand.Pause, RolloutStates.Paused) => Same(state, "The rollout is already paused."),
        (RolloutCommand.Pause, RolloutStates.AwaitingApproval) => Same(state, "The rollout is already paused, awaiting an approval."),
        (RolloutCommand.Pause, RolloutStates.Progressing or RolloutStates.Shadowing) => Move(state, RolloutStates.Paused, "Paused at the current weight; steps do not advance until resumed."),
        (RolloutCommand.Resume, RolloutStates.Progressing or RolloutStates.Shadowing) => Same(state, $"The rollout is already {state}."),
        (RolloutCommand.Resume, RolloutStates.Paused) => Move(state, resumeState ?? RolloutStates.Progressing, "Resumed: steps advance again when their bake time passes with every guardrail passing."),
        (RolloutCommand.Resume, RolloutStates.AwaitingApproval) => Error.Conflict("The rollout awaits an approval; an Approver decides it (POST /api/rollouts/{id}/approvals/{approvalId})."),
        (RolloutCommand.Promote, RolloutStates.Promoted) => Same(state, "The rollout is already promoted; nothing changed."),
        (RolloutCommand.Promote, _) when RolloutStates.IsActive(state) && state != RolloutStates.RollingBack => Move(state, RolloutStates.Promoted, "Promoted: champion moves to the candidate and all traffic follows."),
        (RolloutCommand.Advance, RolloutStates.Shadowing) => Move(state, RolloutStates.Progressing, "Advanced from shadow into the first canary step."),
        (RolloutCommand.Advance, RolloutStates.Progressing) => Same(state, "The rollout is already past its shadow phase."),
        _ => Error.Conflict($"A rollout that is {state} cannot be asked to {command.ToString().ToLowerInvariant()}."),
    };

    private static RolloutTransition Same(string state, string detail) => new(state, state, false, detail);

    private static RolloutTransition Move(string from, string to, string detail) => new(from, to, true, detail);
}
