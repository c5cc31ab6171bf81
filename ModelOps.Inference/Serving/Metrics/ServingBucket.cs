using ModelOps.Core.Serving.Metrics;

namespace ModelOps.Inference.Serving.Metrics;

/// <summary>
/// A copy of one second of one series, as a replica publishes it for the others to judge: the
/// counts, KPI sums and the bucket's latency reservoir. Per-segment KPI tallies of the second
/// (pooled series only) ride along as dimension → value → tally.
/// </summary>
public sealed record ServingBucket(
    ServingSeriesKey Key,
    long Second,
    long Requests,
    long Errors,
    long Timeouts,
    long Fallbacks,
    double KpiSum,
    double KpiSumSquares,
    long KpiCount,
    double[] LatencySamplesMs,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, Core.Rollouts.Judging.ArmTally>>? Segments = null,
    IReadOnlyList<long>? ScoreBins = null,
    IReadOnlyDictionary<string, Core.Serving.Metrics.FeatureDistribution>? Features = null);
