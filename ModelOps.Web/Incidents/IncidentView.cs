using System.Text.Json;
using ModelOps.Core.Incidents;
using ModelOps.Web.Audit;

namespace ModelOps.Web.Incidents;

/// <summary>
/// An incident as the contract shows it: what was rolled back to what, the trigger (kind, who,
/// why), the timeline (every audit row about the rollout and the incident), the evidence frozen
/// at the decision (verdicts, artifacts, routing before; plus <c>replay</c>, the latest replay) and the verification.
/// </summary>
public sealed record IncidentView(
    string Id,
    string RolloutId,
    string Model,
    int FromVersion,
    int ToVersion,
    IncidentTriggerView Trigger,
    DateTimeOffset OpenedAt,
    string Status,
    IReadOnlyList<AuditEntryView> Timeline,
    JsonElement Evidence,
    IncidentVerificationView Verification,
    DateTimeOffset? ClosedAt,
    string? ClosedBy,
    string? RootCause)
{
    public static IncidentView From(Incident incident, IReadOnlyList<Core.Audit.AuditEntry> timeline, Core.Incidents.Replay.ReplayRun? replay = null)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(timeline);
        using var evidence = JsonDocument.Parse(incident.EvidenceJson);
        return new(
            incident.Id,
            incident.RolloutId,
            incident.Model,
            incident.FromVersion,
            incident.ToVersion,
            new IncidentTriggerView(incident.TriggerKind, incident.TriggeredBy, incident.TriggerReason),
            incident.OpenedAt,
            incident.Status,
            [.. timeline.Select(AuditEntryView.From)],
            ReplayView.Attach(evidence.RootElement.Clone(), replay),
            new IncidentVerificationView(incident.VerificationStatus, incident.VerificationCheckedAt),
            incident.ClosedAt,
            incident.ClosedBy,
            incident.RootCause);
    }
}

public sealed record IncidentTriggerView(string Kind, string Actor, string Reason);

public sealed record IncidentVerificationView(string Status, DateTimeOffset? CheckedAt);

public sealed record IncidentCloseRequest(string? RootCause);
