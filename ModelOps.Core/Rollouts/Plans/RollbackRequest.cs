namespace ModelOps.Core.Rollouts.Plans;

/// <summary>
/// <c>instant</c>, or <c>staged</c> stepping the candidate down through weights with a hold at each;
/// <see cref="OnSoftTrigger"/>: while a soft trigger waits for an approver the rollout holds its
/// weight (<c>pause</c>, the default) or goes back one canary step (<c>stepDown</c>).
/// </summary>
public sealed record RollbackRequest(string? Mode, IReadOnlyList<RollbackStepRequest>? Steps, string? OnSoftTrigger = null);
