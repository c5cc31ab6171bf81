using ModelOps.Core.Serving.Routing;

namespace ModelOps.Web.Serving;

/// <summary>
/// A new split for a model. <see cref="ExpectedGeneration"/> is the generation the caller looked
/// at; when set and stale, the change is refused (409) instead of overwriting someone else's.
/// </summary>
public sealed record ApplyRoutingRequest(
    IReadOnlyList<RouteWeight>? Weights,
    IReadOnlyDictionary<string, IReadOnlyList<RouteWeight>>? Regions,
    ShadowMirror? Shadow,
    int? BaselineVersion,
    int? CandidateVersion,
    string? Reason,
    long? ExpectedGeneration);
