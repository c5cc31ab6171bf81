namespace ModelOps.Core.Rollouts.Plans;

public sealed record RollbackStepRequest(double? Weight, int? HoldSeconds);
