namespace ModelOps.Core.Rollouts.Engine;

/// <summary>
/// Why a rollout is being rolled back, as the incident records it: the kind (<see cref="Kinds"/>),
/// who decided, their reason, and for the judge the verdicts at the decision and when the breach
/// that decided was first seen failing.
/// </summary>
public sealed record RollbackTrigger(
    string Kind,
    string Actor,
    string Reason,
    IReadOnlyList<VerdictRecord>? Verdicts = null,
    DateTimeOffset? FirstFailingAt = null,
    string? ApprovalId = null)
{
    public static class Kinds
    {
        /// <summary>A hard guardrail failed for its sustain time (the judge).</summary>
        public const string Hard = "hard";

        /// <summary>An approver decided <c>revert</c> on a soft trigger.</summary>
        public const string ApprovalRevert = "approvalRevert";

        /// <summary>Nobody decided a soft trigger within the plan's time-out: the safe default.</summary>
        public const string ApprovalTimeout = "approvalTimeout";

        /// <summary>An operator pressed rollback.</summary>
        public const string Manual = "manual";

        /// <summary>
        /// Not a rollback: the promoted version failed its post-promotion verification. The incident
        /// opens with the verification's result and nothing moves traffic (the previous champion is
        /// kept warm for the window, so a rollback by hand is one alias move away).
        /// </summary>
        public const string Verification = "verification";
    }
}
