namespace ModelOps.Core.Rollouts.Monitoring;

/// <summary>A rollout and its current state, for <c>modelops_rollout_state</c>.</summary>
public sealed record RolloutStateSample(string RolloutId, string Model, string State);
