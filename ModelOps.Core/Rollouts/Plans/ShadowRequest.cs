namespace ModelOps.Core.Rollouts.Plans;

public sealed record ShadowRequest(double? Share, double? MaxDiff);
