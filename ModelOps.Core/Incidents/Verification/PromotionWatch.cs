namespace ModelOps.Core.Incidents.Verification;

/// <summary>
/// A promotion under verification: for the plan's verification window after the promotion, the
/// promoted version must hold the plan's limits, and its thresholds against the previous champion's
/// values during the rollout (<see cref="BaselineJson"/>, recorded when the watch opens, while the
/// metrics store still holds them). One per promoted rollout; opened by the first verifier run
/// after the promotion.
/// </summary>
public sealed class PromotionWatch
{
    public required string RolloutId { get; set; }

    public required string Model { get; set; }

    public int PromotedVersion { get; set; }

    /// <summary>The champion before the promotion (the rollout's rollback target), still kept warm.</summary>
    public int PreviousVersion { get; set; }

    public DateTimeOffset PromotedAt { get; set; }

    /// <summary>The plan's <c>verification.withinSeconds</c>.</summary>
    public int WindowSeconds { get; set; }

    /// <summary>JSON list of <see cref="GuardrailBaseline"/>: the previous champion's values during the rollout.</summary>
    public required string BaselineJson { get; set; }

    /// <summary><see cref="PromotionVerificationStates"/>.</summary>
    public required string Status { get; set; }

    public DateTimeOffset? CheckedAt { get; set; }

    /// <summary>The <see cref="VerificationResult"/> once decided.</summary>
    public string? ResultJson { get; set; }

    /// <summary>The incident a failed verification opened.</summary>
    public string? IncidentId { get; set; }

    public Guid ConcurrencyToken { get; set; }
}
