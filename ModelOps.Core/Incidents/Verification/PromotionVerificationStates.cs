namespace ModelOps.Core.Incidents.Verification;

/// <summary>The states of a <see cref="PromotionWatch"/>.</summary>
public static class PromotionVerificationStates
{
    public const string Pending = "pending";

    /// <summary>Every check held on the promoted version over the window.</summary>
    public const string Held = "held";

    /// <summary>A check failed: an incident was opened (trigger <c>verification</c>).</summary>
    public const string Failed = "failed";

    /// <summary>Too little traffic on the promoted version to check; recorded, no incident.</summary>
    public const string Unverified = "unverified";
}
