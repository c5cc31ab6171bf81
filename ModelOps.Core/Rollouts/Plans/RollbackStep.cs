using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Rollouts.Plans;

public sealed record RollbackStep(double Weight, int HoldSeconds);
