using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Inference.Serving.Routing;

/// <summary>
/// A routing decision with the leased session that will answer it. <see cref="Session"/> is the
/// decided version's, except after a fallback (<see cref="FellBack"/>): then the baseline's,
/// while <see cref="Decision"/> still names the version and arm the request was routed to.
/// The caller releases the lease.
/// </summary>
public readonly record struct RoutedRequest(RouteDecision Decision, WarmSession Session, bool FellBack);
