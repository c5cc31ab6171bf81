namespace ModelOps.Core.Incidents.Samples;

/// <summary>
/// One of the candidate's logged requests and its response, copied from the inference log into the
/// main database when the incident is first followed up, so the log's retention sweep cannot take
/// the evidence. Personal features stay masked as the log stored them.
/// </summary>
public sealed class IncidentSample
{
    public long Id { get; set; }

    public required string IncidentId { get; set; }

    public required string RequestId { get; set; }

    public DateTimeOffset At { get; set; }

    public int Version { get; set; }

    /// <summary><c>candidate</c> or <c>shadow</c>.</summary>
    public required string Arm { get; set; }

    public string? Region { get; set; }

    public string? RoutingKey { get; set; }

    public string? FeaturesJson { get; set; }

    public double? Score { get; set; }

    /// <summary><c>ok</c>, <c>error</c> or <c>timeout</c>.</summary>
    public required string Status { get; set; }

    public string? Error { get; set; }

    public double LatencyMs { get; set; }
}
