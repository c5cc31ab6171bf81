namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// One input feature of one arm over one evaluation period: how many requests carried it, how
/// many had it null, and its values counted on the model's fixed bins (open-ended outer bins),
/// as the serving metrics store keeps them (FeatureDistribution).
/// </summary>
public sealed record FeatureCounts(long Observations, long Nulls, IReadOnlyList<long> Bins);
