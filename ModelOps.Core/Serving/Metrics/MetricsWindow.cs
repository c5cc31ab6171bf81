namespace ModelOps.Core.Serving.Metrics;

/// <summary>
/// Serving measurements of one series summed over a time window. Latency quantiles are null when
/// the window holds no request. <see cref="LatencySamplesMs"/> is a bounded random sample of raw
/// latencies (for rank tests), not every request. <see cref="ScoreBins"/> is the answered requests'
/// served scores on <c>ScoreHistogram</c>'s fixed bins (what score_psi compares).
/// </summary>
public sealed record MetricsWindow(
    DateTimeOffset From,
    DateTimeOffset To,
    long Requests,
    long Errors,
    long Timeouts,
    double? LatencyP50Ms,
    double? LatencyP95Ms,
    double? LatencyP99Ms,
    double KpiSum,
    long KpiCount,
    IReadOnlyList<double> LatencySamplesMs,
    IReadOnlyDictionary<string, FeatureDistribution> Features,
    long Fallbacks = 0,
    double KpiSumSquares = 0,
    IReadOnlyList<long>? ScoreBins = null);
