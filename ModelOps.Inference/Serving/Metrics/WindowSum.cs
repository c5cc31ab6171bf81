using ModelOps.Core.Serving.Metrics;

namespace ModelOps.Inference.Serving.Metrics;

/// <summary>Accumulates buckets into one <see cref="MetricsWindow"/>.</summary>
internal sealed class WindowSum
{
    private readonly LatencyHistogram _latency = new();
    private readonly List<double> _samples = [];
    private readonly long[] _scoreBins = new long[ScoreHistogram.Bins];
    private readonly Dictionary<string, FeatureTotal> _features = new(StringComparer.Ordinal);
    private long _requests;
    private long _errors;
    private long _timeouts;
    private long _fallbacks;
    private double _kpiSum;
    private long _kpiCount;
    private double _kpiSumSquares;

    public void Add(MetricsBucket bucket)
    {
        _requests += bucket.Requests;
        _errors += bucket.Errors;
        _timeouts += bucket.Timeouts;
        _fallbacks += bucket.Fallbacks;
        _kpiSum += bucket.KpiSum;
        _kpiCount += bucket.KpiCount;
        _kpiSumSquares += bucket.KpiSumSquares;
        _latency.Merge(bucket.Latency);
        _samples.AddRange(bucket.Samples);
        for (var i = 0; i < _scoreBins.Length; i++)
        {
            _scoreBins[i] += bucket.ScoreBins[i];
        }

        foreach (var (name, feature) in bucket.Features)
        {
            if (!_features.TryGetValue(name, out var total))
            {
                _features[name] = total = new FeatureTotal(feature.Edges, feature.Bins.Length);
            }

            total.Add(feature);
        }
    }

    public MetricsWindow ToWindow(DateTimeOffset from, DateTimeOffset to) => new(
        from,
        to,
        _requests,
        _errors,
        _timeouts,
        Milliseconds(_latency.ValueAtQuantile(0.50)),
        Milliseconds(_latency.ValueAtQuantile(0.95)),
        Milliseconds(_latency.ValueAtQuantile(0.99)),
        _kpiSum,
        _kpiCount,
        _samples,
        _features.ToDictionary(p => p.Key, p => p.Value.ToDistribution(p.Key), StringComparer.Ordinal),
        _fallbacks,
        _kpiSumSquares,
        _scoreBins);

    private static double? Milliseconds(double? microseconds) => microseconds / 1000.0;
}
