namespace ModelOps.Core.Rollouts.Engine;

/// <summary>What an operator (or, later, a job or an approver) asks of a rollout.</summary>
public enum RolloutCommand
{
    Rollback,
    Pause,
    Resume,
    Promote,
}
