namespace ModelOps.Core.Rollouts.Monitoring;

/// <summary>
/// Rollbacks ever decided on a model for one trigger as the rollout recorded it (<c>hard</c>,
/// <c>approvalRevert</c>, <c>approvalTimeout</c>, <c>manual</c>; <see cref="RolloutMetricsQuery.UnknownTrigger"/>
/// when it recorded none), for <c>modelops_rollbacks_total</c>.
/// </summary>
public sealed record RollbackCount(string Model, string Trigger, long Count);
