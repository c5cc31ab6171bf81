namespace ModelOps.Core.Serving.Routing;

/// <summary>
/// Where one request goes. <see cref="Version"/> answers the caller and is labelled
/// <see cref="Arm"/>; when <see cref="Mirror"/> is true the request is also replayed to
/// <see cref="MirrorVersion"/> (labelled <see cref="Routing.Arm.Shadow"/>) after the response.
/// </summary>
public readonly record struct RouteDecision(int Version, Arm Arm, bool Mirror, int? MirrorVersion);
