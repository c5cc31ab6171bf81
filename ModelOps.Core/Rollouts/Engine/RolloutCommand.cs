namespace ModelOps.Core.Rollouts.Engine;

/// <summary>What an operator asks of a rollout.</summary>
public enum RolloutCommand
{
    Rollback,
    Pause,
    Resume,
    Promote,

    /// <summary>A shadow rollout into its first canary step.</summary>
    Advance,
}
