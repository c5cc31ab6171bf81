namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// What one arm served in one evaluation period (since the previous evaluation), shaped like the
/// store's one-second buckets summed: counts, the raw latency samples the store kept (a uniform
/// reservoir, at most 64 per one-second bucket), the KPI outcomes of requests whose attribution
/// window closed in the period (sum, sum of squares, count), feature counts and the output score
/// histogram; <see cref="KpiBySegment"/> holds the same KPI outcomes split by segment key
/// (dimension → segment value → count, sum, sum of squares) for the dimensions a segmented KPI
/// guardrail asked the store to keep. Independent of the store's types so the engine maps one to the other.
/// </summary>
public sealed record ArmMeasurements(
    long Requests,
    long Errors,
    long Timeouts,
    IReadOnlyList<double> LatencySamplesMs,
    double KpiSum = 0,
    double KpiSumSquares = 0,
    long KpiCount = 0,
    IReadOnlyDictionary<string, FeatureCounts>? Features = null,
    IReadOnlyList<long>? ScoreBins = null,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, ArmTally>>? KpiBySegment = null)
{
    public static ArmMeasurements Empty { get; } = new(0, 0, 0, []);
}
