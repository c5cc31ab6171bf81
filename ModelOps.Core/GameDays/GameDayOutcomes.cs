namespace ModelOps.Core.GameDays;

/// <summary>How a drill ended.</summary>
public static class GameDayOutcomes
{
    /// <summary>The rollout was rolled back and traffic restored while the fault was on.</summary>
    public const string RolledBack = "rolledBack";

    /// <summary>No rollback within <c>ModelOps:GameDays:TimeoutSeconds</c>: the drill rolled its canary back itself.</summary>
    public const string NotDetected = "notDetected";

    /// <summary>The rollout ended another way (promoted, aborted) without a rollback.</summary>
    public const string RolloutEnded = "rolloutEnded";

    /// <summary>The chaos fault could not be set.</summary>
    public const string FaultRefused = "faultRefused";

    public const string Interrupted = "interrupted";

    /// <summary>An unexpected fault in the drill itself (logged); cleaned up like any other end.</summary>
    public const string Error = "error";
}
