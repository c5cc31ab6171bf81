namespace ModelOps.Core.Rollouts.Plans;

/// <summary><c>instant</c>, or <c>staged</c> stepping the candidate down through weights with a hold at each.</summary>
public sealed record RollbackRequest(string? Mode, IReadOnlyList<RollbackStepRequest>? Steps);
