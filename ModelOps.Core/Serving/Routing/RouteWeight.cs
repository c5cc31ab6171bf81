namespace ModelOps.Core.Serving.Routing;

/// <summary>The share of traffic, in percent (0..100), that <see cref="Version"/> receives.</summary>
public readonly record struct RouteWeight(int Version, double Percent);
