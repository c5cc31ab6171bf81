using ModelOps.Core.Common;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;

namespace ModelOps.Tests.Rollouts.Engine;

public sealed class RolloutStateMachineTests
{
    [Theory]
    [InlineData(RolloutStates.Progressing, RolloutCommand.Rollback, RolloutStates.RolledBack)]
    [InlineData(RolloutStates.AwaitingApproval, RolloutCommand.Rollback, RolloutStates.RolledBack)]
    [InlineData(RolloutStates.Progressing, RolloutCommand.Pause, RolloutStates.Paused)]
    [InlineData(RolloutStates.Paused, RolloutCommand.Resume, RolloutStates.Progressing)]
    [InlineData(RolloutStates.Paused, RolloutCommand.Promote, RolloutStates.Promoted)]
    public void Decide_CommandOnActiveRollout_MovesToItsState(string state, RolloutCommand command, string expected)
    {
        var transition = RolloutStateMachine.Decide(state, command).Value!;

        Assert.Equal((expected, true), (transition.To, transition.Changed));
    }

    [Theory]
    [InlineData(RolloutStates.RolledBack, RolloutCommand.Rollback)]
    [InlineData(RolloutStates.Promoted, RolloutCommand.Promote)]
    [InlineData(RolloutStates.Paused, RolloutCommand.Pause)]
    public void Decide_CommandAlreadyDone_ChangesNothingAndSaysSo(string state, RolloutCommand command)
    {
        var transition = RolloutStateMachine.Decide(state, command).Value!;

        Assert.Equal((state, false), (transition.To, transition.Changed));
    }

    [Theory]
    [InlineData(RolloutStates.RolledBack, RolloutCommand.Promote)]
    [InlineData(RolloutStates.Promoted, RolloutCommand.Rollback)]
    [InlineData(RolloutStates.Aborted, RolloutCommand.Resume)]
    [InlineData(RolloutStates.RollingBack, RolloutCommand.Promote)]
    public void Decide_CommandOnEndedOrRollingBackRollout_IsAConflict(string state, RolloutCommand command)
    {
        Assert.Equal(ErrorKind.Conflict, RolloutStateMachine.Decide(state, command).Error!.Kind);
    }
}
