namespace ModelOps.Core.Rollouts.Plans;

/// <summary>One canary step: the candidate's weight, how long it bakes, and the regions it opens (all when none).</summary>
public sealed record StepRequest(double? Weight, int? BakeSeconds, IReadOnlyList<string>? Regions);
