namespace ModelOps.Core.Rollouts.Shadow;

/// <summary>
/// A shadow rollout's divergence report as the evaluator last computed it (at most every
/// <c>ModelOps:Rollouts:ShadowDiff:RefreshSeconds</c>), so reading a rollout or judging
/// <c>advance</c> does not re-read up to <c>MaxPairs</c> mirrored pairs from the inference log.
/// One per rollout.
/// </summary>
public sealed class ShadowDiffSnapshot
{
    public required string RolloutId { get; set; }

    public DateTimeOffset ComputedAt { get; set; }

    /// <summary>The <see cref="Divergence.DivergenceReport"/> as JSON.</summary>
    public required string ReportJson { get; set; }
}
