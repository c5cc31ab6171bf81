using System.Text.Json;
using ModelOps.Core.Incidents;

namespace ModelOps.Core.Notifications;

/// <summary>
/// The webhook body. <see cref="Id"/> and <see cref="OccurredAt"/> are inside the signed bytes, so
/// a receiver that remembers ids it has seen and refuses old timestamps cannot be fooled by a replay.
/// </summary>
public sealed record IncidentEvent(string Id, string Type, DateTimeOffset OccurredAt, IncidentSnapshot Incident)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static IncidentEvent? FromJson(string json) => JsonSerializer.Deserialize<IncidentEvent>(json, Json);
}

/// <summary>The incident as it stands after the change (no evidence or payloads: GET the link for those).</summary>
public sealed record IncidentSnapshot(
    string Id,
    string RolloutId,
    string Model,
    int FromVersion,
    int ToVersion,
    string Trigger,
    string TriggeredBy,
    string Status,
    IncidentVerificationSnapshot Verification,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    string? ClosedBy,
    string? RootCause,
    string Link)
{
    public static IncidentSnapshot From(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return new(
            incident.Id, incident.RolloutId, incident.Model, incident.FromVersion, incident.ToVersion, incident.TriggerKind, incident.TriggeredBy,
            incident.Status, new IncidentVerificationSnapshot(incident.VerificationStatus, incident.VerificationCheckedAt),
            incident.OpenedAt, incident.ClosedAt, incident.ClosedBy, incident.RootCause, $"/api/incidents/{incident.Id}");
    }
}

public sealed record IncidentVerificationSnapshot(string Status, DateTimeOffset? CheckedAt);
