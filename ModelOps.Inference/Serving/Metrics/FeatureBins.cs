using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Inference.Serving.Metrics;

/// <summary>
/// Drift-histogram edges for an encoder's numeric features, derived from the spec so no sample
/// is needed: a bucketed feature uses its own buckets; a normalised one uses mean ± 0.5, 1 and
/// 2 standard deviations (8 bins, the outer two open-ended). Categorical features need no bins.
/// </summary>
public static class FeatureBins
{
    private static readonly double[] StdOffsets = [-2, -1, -0.5, 0, 0.5, 1, 2];

    public static IEnumerable<(string Feature, IReadOnlyList<double> Edges)> From(FeatureEncoderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        foreach (var feature in spec.Features.Where(f => f.Kind == FeatureKind.Numeric))
        {
            IEnumerable<double> inner = feature.Buckets is { Count: > 0 } buckets
                ? buckets
                : StdOffsets.Select(k => feature.Mean + (k * feature.Std));
            yield return (feature.Name, [double.NegativeInfinity, .. inner, double.PositiveInfinity]);
        }
    }
}
