namespace ModelOps.Core.Rollouts;

/// <summary>The contract's rollout states, as stored and shown.</summary>
public static class RolloutStates
{
    public const string Shadowing = "shadowing";
    public const string Progressing = "progressing";
    public const string Paused = "paused";
    public const string AwaitingApproval = "awaitingApproval";
    public const string RollingBack = "rollingBack";
    public const string Promoted = "promoted";
    public const string RolledBack = "rolledBack";
    public const string Aborted = "aborted";

    /// <summary>States in which the rollout still owns the model's traffic.</summary>
    public static IReadOnlyList<string> Active { get; } = [Shadowing, Progressing, Paused, AwaitingApproval, RollingBack];

    public static bool IsActive(string state) => Active.Contains(state);
}
