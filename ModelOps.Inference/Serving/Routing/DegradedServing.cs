using ModelOps.Core.Cluster;

namespace ModelOps.Inference.Serving.Routing;

/// <summary>A model served from <see cref="Route"/>'s table on this replica since <see cref="Since"/>.</summary>
public sealed record DegradedServing(DegradedRoute Route, DateTimeOffset Since);
