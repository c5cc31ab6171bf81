namespace ModelOps.Core.Rollouts;

/// <summary>The stored <see cref="RolloutApproval.Status"/> values and the contract's decisions.</summary>
public static class ApprovalStatuses
{
    public const string Pending = "pending";
    public const string Continued = "continued";
    public const string Reverted = "reverted";
    public const string TimedOut = "timedOut";
    public const string Withdrawn = "withdrawn";

    public const string DecisionRevert = "revert";
    public const string DecisionContinue = "continue";
}
