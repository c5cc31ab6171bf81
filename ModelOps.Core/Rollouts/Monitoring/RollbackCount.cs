namespace ModelOps.Core.Rollouts.Monitoring;

/// <summary>
/// Rollbacks ever decided on a model for one trigger (<c>hard</c>, <c>approvalRevert</c>,
/// <c>approvalTimeout</c>, <c>manual</c>, <c>progressDeadline</c>; <see cref="RolloutMetricsQuery.UnknownTrigger"/>
/// when the rollout recorded none), for <c>modelops_rollbacks_total</c>.
/// </summary>
public sealed record RollbackCount(string Model, string Trigger, long Count);
