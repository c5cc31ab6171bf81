namespace ModelOps.Benchmarks.Rollouts;

/// <summary>Seconds into the rollout of a method's first failing verdict on the row's guardrail and of its rollback; null = never within the horizon.</summary>
public sealed record MethodResult(double? FirstFail, double? Rollback);
