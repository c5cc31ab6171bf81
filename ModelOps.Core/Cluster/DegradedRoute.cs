using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Cluster;

/// <summary>
/// One model served locally from a table its rollout's rollback target takes the candidate's share
/// in. <see cref="Table"/> keeps the live table's generation, so any newer table that goes live wins over it.
/// </summary>
public sealed record DegradedRoute(ActiveRolloutRoute Rollout, RoutingTable Table);
