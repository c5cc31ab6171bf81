using System.Text.Json;
using System.Text.Json.Nodes;
using ModelOps.Core.Incidents;
using ModelOps.Core.Incidents.Series;
using ModelOps.Core.Incidents.Verification;
using ModelOps.Core.Rollouts.Engine;

namespace ModelOps.Web.Incidents;

/// <summary>
/// <c>evidence</c>: the JSON frozen at the decision, as stored, plus what the incident gathered
/// after it — <c>routingAfter</c> (the table once traffic was restored), <c>baselineDuringRollout</c>
/// (per guardrail, the baseline arm's value that relative verification compares with) and
/// <c>series</c> (per arm, the copied buckets; only when read, so lists stay small) and
/// <c>samples</c> (the candidate's requests copied from the inference log: count, and rows when read).
/// </summary>
public static class IncidentEvidenceView
{
    public static JsonElement Compose(Incident incident, IncidentFollowUp followUp)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(followUp);
        var evidence = JsonNode.Parse(incident.EvidenceJson) as JsonObject ?? [];
        var watch = followUp.Watch;
        evidence["routingAfter"] = watch?.RoutingAfterJson is { } routing ? JsonNode.Parse(routing) : null;
        evidence["baselineDuringRollout"] = JsonSerializer.SerializeToNode(IncidentVerifier.ReadBaselines(watch?.BaselineJson), JudgeRecord.JsonOptions);
        if (followUp.Buckets is { } buckets)
        {
            evidence["series"] = JsonSerializer.SerializeToNode(Series(incident, watch, buckets), JudgeRecord.JsonOptions);
        }

        evidence["samples"] = JsonSerializer.SerializeToNode(IncidentSamplesView.From(followUp), JudgeRecord.JsonOptions);

        return JsonSerializer.SerializeToElement(evidence);
    }

    private static object Series(Incident incident, IncidentWatch? watch, IReadOnlyList<IncidentSeriesBucket> buckets) => new
    {
        bucketSeconds = IncidentSeriesRecorder.BucketSeconds,
        from = watch?.SeriesFrom,
        through = watch?.SeriesThrough,
        decidedAt = watch?.DecidedAt,
        arms = buckets.GroupBy(b => (b.Arm, b.Version)).OrderBy(g => g.Key.Arm, StringComparer.Ordinal).Select(g => new
        {
            arm = g.Key.Arm,
            version = g.Key.Version,
            role = g.Key.Version == incident.ToVersion ? "rollbackTarget" : "candidate",
            buckets = g.OrderBy(b => b.At).Select(b => b.ToBucket()).ToList(),
        }).ToList(),
    };
}
