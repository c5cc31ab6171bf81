using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Inference.Serving.Metrics;

/// <summary>
/// Live per-series measurements in one-second buckets over a fixed horizon (a ring, so memory
/// is bounded by series × horizon), plus cumulative totals for <c>/metrics</c>.
/// One lock per series: a record is a handful of increments, so the lock is held for well under
/// a microsecond and only requests of the same version contend for it.
/// A model whose rollout is judged per region (<see cref="TrackRegions"/>) also keeps one series
/// per region, so a request of such a model is recorded twice; other models pay nothing.
/// </summary>
public sealed partial class ServingMetricsStore(IOptions<ServingMetricsOptions> options, TimeProvider time, Random random) : IServingMetrics
{
    private readonly ConcurrentDictionary<ServingSeriesKey, Series> _series = new();
    private readonly ConcurrentDictionary<(string Model, string Feature), IReadOnlyList<double>> _binEdges = new();
    private readonly ConcurrentDictionary<string, bool> _regional = new(StringComparer.Ordinal);
    private volatile bool _anyRegional; // the serving path's cheap check before the dictionary
    private readonly int _horizon = options.Value.HorizonSeconds;
    private readonly int _samples = options.Value.LatencySamplesPerBucket;

    /// <summary>KPI outcomes per segment, for models a segmented KPI guardrail judges.</summary>
    public SegmentOutcomes Segments { get; } = new(options.Value.HorizonSeconds, time);

    /// <summary>Fixed bin edges for a numeric feature of a model (ascending); drift compares these bins.</summary>
    public void RegisterFeatureBins(string model, string feature, IReadOnlyList<double> edges) =>
        _binEdges[(model, feature)] = edges;

    /// <summary>
    /// Registers bins unless the model already has some for this feature: the first loaded
    /// version fixes them, so every version of a model is histogrammed on the same bins and
    /// drift between baseline and candidate compares like with like.
    /// </summary>
    public bool TryRegisterFeatureBins(string model, string feature, IReadOnlyList<double> edges) =>
        _binEdges.TryAdd((model, feature), edges);

    /// <summary>Keeps per-region series of <paramref name="model"/> from now on (idempotent; measurements before are pooled only).</summary>
    public void TrackRegions(string model)
    {
        _regional.TryAdd(model, true);
        _anyRegional = true;
    }

    public void RecordRequest(string model, int version, Arm arm, TimeSpan latency, RequestStatus status) =>
        RecordServed(model, version, arm, latency, status, null);

    /// <summary>
    /// One answered request and its raw features under a single lock of the series: the serving
    /// path's call (one series lookup, one lock and no intermediate array per request).
    /// </summary>
    /// <param name="score">The served score of an answered request (score_psi's histogram); null when there is none.</param>
    public void RecordServed(
        string model, int version, Arm arm, TimeSpan latency, RequestStatus status, IReadOnlyDictionary<string, FeatureValue>? features, string? region = null, double? score = null)
    {
        Record(SeriesOf(new ServingSeriesKey(model, version, arm)), model, latency, status, features, score);
        if (region is not null && _anyRegional && _regional.ContainsKey(model))
        {
            Record(SeriesOf(new ServingSeriesKey(model, version, arm, region)), model, latency, status, features, score);
        }
    }

    private void Record(Series series, string model, TimeSpan latency, RequestStatus status, IReadOnlyDictionary<string, FeatureValue>? features, double? score)
    {
        lock (series)
        {
            var bucket = series.BucketAt(Now());
            bucket.RecordRequest(latency.TotalMilliseconds, status, series.Random);
            if (score is { } served)
            {
                bucket.RecordScore(served);
            }

            series.Totals[(int)status]++;
            series.LatencySumSeconds += latency.TotalSeconds;
            series.CumulativeLatency.RecordValue((long)Math.Round(latency.TotalMilliseconds * 1000));
            if (features is null)
            {
                return;
            }

            foreach (var (name, value) in features)
            {
                var accumulator = AccumulatorOf(model, bucket, name);
                switch (value.Kind)
                {
                    case FeatureValueKind.Number:
                        accumulator.Record(value.Number, null);
                        break;
                    case FeatureValueKind.Text:
                        accumulator.Record(null, value.Text);
                        break;
                    default:
                        accumulator.Record(null, null);
                        break;
                }
            }
        }
    }

    public void RecordOutcome(string model, int version, Arm arm, double outcome, string? region = null, IReadOnlyList<Core.Divergence.Segment>? segments = null)
    {
        RecordOutcome(SeriesOf(new ServingSeriesKey(model, version, arm)), outcome);
        if (segments is { Count: > 0 })
        {
            Segments.Record(model, version, arm, segments, outcome);
        }

        if (region is not null && _anyRegional && _regional.ContainsKey(model))
        {
            RecordOutcome(SeriesOf(new ServingSeriesKey(model, version, arm, region)), outcome);
        }
    }

    private void RecordOutcome(Series series, double outcome)
    {
        lock (series)
        {
            series.BucketAt(Now()).RecordOutcome(outcome);
            series.OutcomeSum += outcome;
            series.OutcomeCount++;
        }
    }

    public void RecordFeatures(string model, int version, Arm arm, IReadOnlyList<ObservedFeature> features)
    {
        var series = SeriesOf(new ServingSeriesKey(model, version, arm));
        lock (series)
        {
            var bucket = series.BucketAt(Now());
            for (var i = 0; i < features.Count; i++)
            {
                var feature = features[i];
                AccumulatorOf(model, bucket, feature.Name).Record(feature.Numeric, feature.Category);
            }
        }
    }

    public MetricsWindow Query(string model, int version, Arm arm, DateTimeOffset from, DateTimeOffset to) =>
        Query(new ServingSeriesKey(model, version, arm), from, to);

    /// <summary>One series' window; a region's series holds what arrived since <see cref="TrackRegions"/>.</summary>
    public MetricsWindow Query(ServingSeriesKey key, DateTimeOffset from, DateTimeOffset to)
    {
        var window = new WindowSum();
        if (_series.TryGetValue(key, out var series))
        {
            var first = Math.Max(from.ToUnixTimeSeconds(), Now() - _horizon + 1);
            var last = to.ToUnixTimeSeconds(); // exclusive
            lock (series)
            {
                foreach (var bucket in series.Buckets)
                {
                    if (bucket is not null && bucket.Second >= first && bucket.Second < last)
                    {
                        window.Add(bucket);
                    }
                }
            }
        }

        return window.ToWindow(from, to);
    }

    public IReadOnlyList<ServingSeriesKey> Keys()
    {
        var oldest = Now() - _horizon + 1;
        return [.. _series.Where(p => p.Key.Region is null && p.Value.LatestSecond >= oldest).Select(p => p.Key)];
    }

    /// <summary>The regions of <paramref name="model"/>'s per-region series that hold a bucket inside the horizon.</summary>
    public IReadOnlyList<string> Regions(string model)
    {
        var oldest = Now() - _horizon + 1;
        return [.. _series.Where(p => p.Key.Model == model && p.Key.Region is not null && p.Value.LatestSecond >= oldest)
            .Select(p => p.Key.Region!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Cumulative totals since start, for the Prometheus exposition.</summary>
    public IReadOnlyList<SeriesTotals> Totals()
    {
        var result = new List<SeriesTotals>(_series.Count);
        foreach (var (key, series) in _series)
        {
            if (key.Region is not null)
            {
                continue; // the exposition counts each request once, in its pooled series
            }

            lock (series)
            {
                result.Add(new SeriesTotals(
                    key,
                    series.Totals[(int)RequestStatus.Ok],
                    series.Totals[(int)RequestStatus.Error],
                    series.Totals[(int)RequestStatus.Timeout],
                    series.Totals[(int)RequestStatus.Fallback],
                    series.LatencySumSeconds,
                    series.CumulativeLatency.CountAtOrBelowMicroseconds(SeriesTotals.LatencyBucketsSeconds),
                    series.OutcomeSum,
                    series.OutcomeCount));
            }
        }

        return result;
    }

    /// <summary>The bucket's accumulator of a feature, created with the model's registered bins. Caller holds the series lock.</summary>
    private FeatureAccumulator AccumulatorOf(string model, MetricsBucket bucket, string feature)
    {
        if (!bucket.Features.TryGetValue(feature, out var accumulator))
        {
            accumulator = new FeatureAccumulator(_binEdges.GetValueOrDefault((model, feature)) ?? []);
            bucket.Features[feature] = accumulator;
        }

        return accumulator;
    }

    private long Now() => time.GetUtcNow().ToUnixTimeSeconds();

    private Series SeriesOf(ServingSeriesKey key) =>
        _series.GetOrAdd(key, static (_, state) =>
        {
            int seed;
            lock (state.random)
            {
                seed = state.random.Next();
            }

            return new Series(state.horizon, state.samples, new Random(seed));
        }, (horizon: _horizon, samples: _samples, random));

    private sealed class Series(int horizon, int samples, Random random)
    {
        public MetricsBucket?[] Buckets { get; } = new MetricsBucket?[horizon];

        public Random Random { get; } = random;

        public long[] Totals { get; } = new long[4];

        public double LatencySumSeconds { get; set; }

        public LatencyHistogram CumulativeLatency { get; } = new();

        public double OutcomeSum { get; set; }

        public long OutcomeCount { get; set; }

        public long LatestSecond { get; private set; } = long.MinValue;

        public MetricsBucket BucketAt(long second)
        {
            var index = (int)(second % Buckets.Length);
            var bucket = Buckets[index] ??= new MetricsBucket(samples);
            if (bucket.Second != second)
            {
                bucket.ResetTo(second);
            }

            LatestSecond = Math.Max(LatestSecond, second);
            return bucket;
        }
    }
}
