using ModelOps.Core.Serving.Metrics;

namespace ModelOps.Inference.Serving.Metrics;

/// <summary>Cumulative counters of one series since process start (Prometheus counters never go down).</summary>
/// <param name="LatencyBucketCounts">Cumulative counts at or below each of <see cref="LatencyBucketsSeconds"/>.</param>
public sealed record SeriesTotals(
    ServingSeriesKey Key,
    long Ok,
    long Errors,
    long Timeouts,
    long Fallbacks,
    double LatencySumSeconds,
    IReadOnlyList<long> LatencyBucketCounts,
    double OutcomeSum,
    long OutcomeCount)
{
    /// <summary>Histogram bucket bounds of <c>modelops_inference_latency_seconds</c>.</summary>
    public static readonly IReadOnlyList<double> LatencyBucketsSeconds =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public long Requests => Ok + Errors + Timeouts + Fallbacks;
}
