namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// Fixed facts of a rollout the judge compares against: per input feature, the bin counts taken
/// before the rollout began (drift_psi's reference); per registered offline metric, the
/// candidate's and the rollback target's values (offline).
/// </summary>
public sealed record RolloutReferences(
    IReadOnlyDictionary<string, IReadOnlyList<long>> FeatureReferenceBins,
    IReadOnlyDictionary<string, OfflineScores> OfflineMetrics)
{
    public static RolloutReferences None { get; } = new(
        new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal),
        new Dictionary<string, OfflineScores>(StringComparer.Ordinal));
}
