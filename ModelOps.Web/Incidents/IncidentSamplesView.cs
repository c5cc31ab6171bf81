using System.Text.Json;
using ModelOps.Core.Incidents;
using ModelOps.Core.Incidents.Samples;

namespace ModelOps.Web.Incidents;

/// <summary>
/// <c>evidence.samples</c>: how many of the candidate's logged requests the incident kept, whether
/// they have been taken yet (<c>copiedAt</c>), and the rows (null in lists).
/// </summary>
public sealed record IncidentSamplesView(int Count, DateTimeOffset? CopiedAt, IReadOnlyList<IncidentSampleRow>? Rows)
{
    public static IncidentSamplesView From(IncidentFollowUp followUp)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        return new(followUp.SampleCount, followUp.Watch?.SamplesCopiedAt, followUp.Samples?.Select(IncidentSampleRow.From).ToList());
    }
}

public sealed record IncidentSampleRow(
    string RequestId,
    DateTimeOffset At,
    int Version,
    string Arm,
    string? Region,
    string? RoutingKey,
    JsonElement? Features,
    double? Score,
    string Status,
    string? Error,
    double LatencyMs)
{
    public static IncidentSampleRow From(IncidentSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return new(
            sample.RequestId,
            sample.At,
            sample.Version,
            sample.Arm,
            sample.Region,
            sample.RoutingKey,
            sample.FeaturesJson is { } json ? JsonSerializer.Deserialize<JsonElement>(json) : null,
            sample.Score,
            sample.Status,
            sample.Error,
            sample.LatencyMs);
    }
}
