namespace ModelOps.Core.Serving.Routing;

/// <summary>
/// Mirrors a fraction <see cref="Share"/> (0..1) of requests to <see cref="Version"/> after the
/// caller has its answer, so the mirror never adds latency or errors to live traffic.
/// </summary>
public sealed record ShadowMirror(int Version, double Share);
