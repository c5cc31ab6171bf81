using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Serving.Metrics;

/// <summary>One stream of serving measurements: a model version as seen through one arm.</summary>
public readonly record struct ServingSeriesKey(string Model, int Version, Arm Arm);
