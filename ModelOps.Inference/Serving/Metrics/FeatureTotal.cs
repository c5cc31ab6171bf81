using ModelOps.Core.Serving.Metrics;

namespace ModelOps.Inference.Serving.Metrics;

/// <summary>
/// One feature's histogram added up over buckets (a window of seconds, or the buckets several
/// replicas published): observations, nulls and numeric bins add by position on the model's fixed
/// edges, categories add by name.
/// </summary>
internal sealed class FeatureTotal(IReadOnlyList<double> edges, int bins)
{
    private readonly long[] _bins = new long[bins];
    private readonly Dictionary<string, long> _categories = new(StringComparer.Ordinal);
    private long _observations;
    private long _nulls;

    public void Add(long observations, long nulls, IReadOnlyList<long> bins, IReadOnlyDictionary<string, long> categories)
    {
        _observations += observations;
        _nulls += nulls;
        for (var i = 0; i < Math.Min(_bins.Length, bins.Count); i++)
        {
            _bins[i] += bins[i];
        }

        foreach (var (category, count) in categories)
        {
            _categories[category] = _categories.GetValueOrDefault(category) + count;
        }
    }

    public void Add(FeatureAccumulator feature) => Add(feature.Observations, feature.Nulls, feature.Bins, feature.Categories);

    /// <summary>A copy of one bucket's histogram of a feature.</summary>
    public static FeatureDistribution Of(string name, FeatureAccumulator feature)
    {
        var total = new FeatureTotal(feature.Edges, feature.Bins.Length);
        total.Add(feature);
        return total.ToDistribution(name);
    }

    public FeatureDistribution ToDistribution(string name) => new(name, _observations, _nulls, edges, _bins, _categories);
}
