using ModelOps.Core.Serving.Metrics;

namespace ModelOps.Inference.Serving.Metrics;

public sealed partial class ServingMetricsStore
{
    /// <summary>The number of latency samples one bucket keeps (what one process would hold per second).</summary>
    public int LatencySamplesPerBucket => _samples;

    /// <summary>The horizon in seconds: buckets older than this are gone.</summary>
    public int HorizonSeconds => _horizon;

    /// <summary>
    /// Copies of every bucket of seconds [<paramref name="first"/>, <paramref name="last"/>] (Unix
    /// seconds, inclusive) inside the horizon, with the segment tallies of the same seconds attached
    /// to their pooled series. One series lock at a time, held for a copy of at most horizon buckets.
    /// </summary>
    public List<ServingBucket> Buckets(long first, long last)
    {
        first = Math.Max(first, Now() - _horizon + 1);
        var segments = Segments.Buckets(first, last);
        var result = new List<ServingBucket>();
        foreach (var (key, series) in _series)
        {
            lock (series)
            {
                if (series.LatestSecond < first)
                {
                    continue;
                }

                foreach (var bucket in series.Buckets)
                {
                    if (bucket is not null && bucket.Second >= first && bucket.Second <= last)
                    {
                        result.Add(new ServingBucket(
                            key, bucket.Second, bucket.Requests, bucket.Errors, bucket.Timeouts, bucket.Fallbacks,
                            bucket.KpiSum, bucket.KpiSumSquares, bucket.KpiCount, [.. bucket.Samples],
                            key.Region is null ? segments.GetValueOrDefault((key.Model, key.Version, key.Arm, bucket.Second)) : null,
                            bucket.ScoreBins.Any(c => c > 0) ? [.. bucket.ScoreBins] : null,
                            FeaturesOf(bucket)));
                        segments.Remove((key.Model, key.Version, key.Arm, bucket.Second));
                    }
                }
            }
        }

        // An outcome recorded across a second's turn can land in a segment's second but not the pooled series'.
        foreach (var ((model, version, arm, second), tallies) in segments)
        {
            result.Add(new ServingBucket(new(model, version, arm), second, 0, 0, 0, 0, 0, 0, 0, [], tallies));
        }

        return result;
    }

    /// <summary>A copy of a bucket's feature histograms (null when it has none), as the judge's features are read.</summary>
    private static Dictionary<string, FeatureDistribution>? FeaturesOf(MetricsBucket bucket)
    {
        var observed = bucket.Features.Where(f => f.Value.Observations > 0).ToList();
        return observed.Count == 0 ? null : observed.ToDictionary(
            f => f.Key,
            f => FeatureTotal.Of(f.Key, f.Value),
            StringComparer.Ordinal);
    }
}
