namespace ModelOps.Core.Serving.Metrics;

/// <summary>
/// What one input feature looked like over a window: how often it was null, its numeric values
/// binned on fixed <see cref="BinEdges"/> (BinCounts has one entry fewer than BinEdges; the outer
/// bins are open-ended so every value lands somewhere and drift sees all the mass), and the
/// counts of categorical values. Empty edges mean no binning was registered for the feature.
/// </summary>
public sealed record FeatureDistribution(
    string Feature,
    long Observations,
    long NullCount,
    IReadOnlyList<double> BinEdges,
    IReadOnlyList<long> BinCounts,
    IReadOnlyDictionary<string, long> CategoryCounts);
