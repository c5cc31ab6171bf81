namespace ModelOps.Core.Rollouts.Plans;

public sealed record VerificationRequest(int? WithinSeconds);
