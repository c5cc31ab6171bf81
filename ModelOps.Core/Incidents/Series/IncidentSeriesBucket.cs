namespace ModelOps.Core.Incidents.Series;

/// <summary>
/// One persisted bucket of an incident's metric series: copied out of the serving metrics store
/// (which forgets after its horizon), so the evidence outlives it and the inference log's retention.
/// Only buckets where the arm served or heard something are stored.
/// </summary>
public sealed class IncidentSeriesBucket
{
    public long Id { get; set; }

    public required string IncidentId { get; set; }

    /// <summary><c>baseline</c> (the rollback target), <c>candidate</c> or <c>shadow</c>.</summary>
    public required string Arm { get; set; }

    public int Version { get; set; }

    public DateTimeOffset At { get; set; }

    public int Seconds { get; set; }

    public long Requests { get; set; }

    /// <summary>Errors and fallbacks (a fallback is a failure of the routed version, as the judge counts it).</summary>
    public long Errors { get; set; }

    public long Timeouts { get; set; }

    public double? LatencyP95Ms { get; set; }

    public double? LatencyP99Ms { get; set; }

    public double KpiSum { get; set; }

    public long KpiCount { get; set; }

    public SeriesBucket ToBucket() => new(At, Seconds, Requests, Errors, Timeouts, LatencyP95Ms, LatencyP99Ms, KpiSum, KpiCount);
}
