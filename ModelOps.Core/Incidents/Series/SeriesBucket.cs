namespace ModelOps.Core.Incidents.Series;

/// <summary>
/// What one arm served in one bucket of an incident's series, as persisted and shown: the counts,
/// the bucket's latency quantiles (from the store's histogram of every request in it) and the KPI
/// outcomes that arrived in it; rates and the KPI mean are derived, null where nothing was counted.
/// </summary>
public sealed record SeriesBucket(
    DateTimeOffset At,
    int Seconds,
    long Requests,
    long Errors,
    long Timeouts,
    double? LatencyP95Ms,
    double? LatencyP99Ms,
    double KpiSum,
    long KpiCount)
{
    public double? ErrorRate => Requests == 0 ? null : (double)Errors / Requests;

    public double? TimeoutRate => Requests == 0 ? null : (double)Timeouts / Requests;

    /// <summary>Outcome per request whose outcome was reported, as the judge counts the KPI.</summary>
    public double? KpiMean => KpiCount == 0 ? null : KpiSum / KpiCount;
}
