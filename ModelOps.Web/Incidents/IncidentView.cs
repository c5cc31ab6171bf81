using System.Text.Json;
using ModelOps.Core.Incidents;
using ModelOps.Core.Incidents.Verification;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Web.Audit;

namespace ModelOps.Web.Incidents;

/// <summary>
/// An incident as the contract shows it: what was rolled back to what, the trigger (kind, who,
/// why), the timeline (every audit row about the rollout and the incident), the evidence frozen
/// at the decision (verdicts, artifacts, routing before) with what was gathered after it (routing
/// after, the baseline's values during the rollout, both arms' series, <c>replay</c>: the latest
/// replay) and the verification; <c>drill</c> (with <c>gameDayId</c>) when a game day opened it.
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
    string? RootCause,
    bool Drill,
    string? GameDayId)
{
    public static IncidentView From(Incident incident, IReadOnlyList<Core.Audit.AuditEntry> timeline, IncidentFollowUp followUp, Core.Incidents.Replay.ReplayRun? replay = null)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(followUp);
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
            ReplayView.Attach(IncidentEvidenceView.Compose(incident, followUp), replay),
            IncidentVerificationView.From(incident),
            incident.ClosedAt,
            incident.ClosedBy,
            incident.RootCause,
            incident.Drill,
            incident.GameDayId);
    }
}

public sealed record IncidentTriggerView(string Kind, string Actor, string Reason);

/// <summary>
/// <c>verification</c>: <c>status</c> and <c>checkedAt</c> (contract), whether a <c>notRecovered</c>
/// result escalated the incident, and the result's reason, basis, window and per-check numbers.
/// </summary>
public sealed record IncidentVerificationView(
    string Status,
    DateTimeOffset? CheckedAt,
    bool Escalated,
    string? Reason,
    string? Basis,
    DateTimeOffset? WindowFrom,
    DateTimeOffset? WindowTo,
    JsonElement Checks)
{
    private static readonly JsonElement NoChecks = JsonSerializer.SerializeToElement(Array.Empty<object>());

    public static IncidentVerificationView From(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var result = incident.VerificationJson is { } json ? JsonSerializer.Deserialize<VerificationResult>(json, JudgeRecord.JsonOptions) : null;
        return new(
            incident.VerificationStatus,
            incident.VerificationCheckedAt,
            incident.VerificationStatus == IncidentStates.NotRecovered,
            result?.Reason,
            result?.Basis,
            result?.WindowFrom,
            result?.WindowTo,
            result is null ? NoChecks : JsonSerializer.SerializeToElement(result.Checks, JudgeRecord.JsonOptions));
    }
}

public sealed record IncidentCloseRequest(string? RootCause);
