using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Rollouts.Plans;

public sealed record RolloutStep(double Weight, int BakeSeconds, IReadOnlyList<string> Regions);
