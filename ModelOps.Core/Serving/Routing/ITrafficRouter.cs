using ModelOps.Core.Common;

namespace ModelOps.Core.Serving.Routing;

/// <summary>
/// The one home of traffic changes: the routing endpoints, the alias follower and the rollout
/// engine all move traffic through here. Implemented by the inference plane;
/// <c>actor</c> and the reason feed the audit trail.
/// </summary>
public interface ITrafficRouter
{
    /// <summary>
    /// Applies <paramref name="change"/> on top of the live table (see <see cref="RoutingChange"/>
    /// for the rules): versions warmed first, then persisted with its audit row, then published.
    /// A stale expected generation, or a concurrent writer that got there first, is a
    /// <see cref="ErrorKind.Conflict"/>; a version that cannot be served is a Conflict naming it.
    /// </summary>
    Task<Result<RoutingTable>> ChangeAsync(string model, RoutingChange change, string actor, CancellationToken cancellationToken);

    /// <summary>
    /// Makes <paramref name="table"/> the live table for its model. A table whose generation is
    /// not newer than the live one fails with <see cref="ErrorKind.Conflict"/>.
    /// </summary>
    Task<Result<RoutingTable>> ApplyAsync(RoutingTable table, string actor, string reason, CancellationToken cancellationToken);

    /// <summary>The live table for <paramref name="model"/>, or null when none was applied.</summary>
    RoutingTable? Current(string model);
}
