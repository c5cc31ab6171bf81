using ModelOps.Core.Common;

namespace ModelOps.Core.Serving.Routing;

/// <summary>
/// The one operation the rollout engine uses to move traffic. Implemented by the inference
/// plane; <paramref name="actor"/> and <paramref name="reason"/> feed the audit trail.
/// </summary>
public interface ITrafficRouter
{
    /// <summary>
    /// Makes <paramref name="table"/> the live table for its model. A table whose generation is
    /// not newer than the live one fails with <see cref="ErrorKind.Conflict"/>.
    /// </summary>
    Task<Result<RoutingTable>> ApplyAsync(RoutingTable table, string actor, string reason, CancellationToken cancellationToken);

    /// <summary>The live table for <paramref name="model"/>, or null when none was applied.</summary>
    RoutingTable? Current(string model);
}
