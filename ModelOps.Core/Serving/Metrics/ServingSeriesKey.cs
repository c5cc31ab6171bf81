using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Serving.Metrics;

/// <summary>
/// One stream of serving measurements: a model version as seen through one arm, across every
/// region (<see cref="Region"/> null) or in one region (kept only for models judged per region).
/// </summary>
public readonly record struct ServingSeriesKey(string Model, int Version, Arm Arm, string? Region = null);
