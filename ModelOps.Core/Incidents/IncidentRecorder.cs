using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Incidents;

/// <summary>
/// Opens the incident of a rollback inside the rollback's own transaction (so there is never a
/// rollback without its incident), and freezes the candidate: it cannot be deleted, and preflight
/// refuses to deploy it again until the incident is closed with a root cause. The replay of the
/// candidate's traffic through the target is queued in the same transaction. A game day's drill
/// opens its incident marked with the game day and freezes nothing: the fault was injected, not
/// found in the candidate, so a real deploy of it must not wait for the drill's incident to be
/// closed (unfreezing at the drill's end instead would still refuse real deploys during the drill,
/// and would lift a freeze a real incident of the same version may hold).
/// </summary>
public sealed class IncidentRecorder(ModelOpsDbContext db)
{
    public async Task<Incident> OpenAsync(Rollout rollout, RollbackTrigger trigger, RoutingTable? routingBefore, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(trigger);
        var versions = await db.Set<ModelVersion>()
            .Where(v => v.Model == rollout.Model && (v.Version == rollout.CandidateVersion || v.Version == rollout.BaselineVersion))
            .ToListAsync(cancellationToken);
        var candidate = versions.SingleOrDefault(v => v.Version == rollout.CandidateVersion);
        var target = versions.SingleOrDefault(v => v.Version == rollout.BaselineVersion);
        var gameDayId = await db.Set<GameDays.GameDay>().Where(g => g.RolloutId == rollout.Id).Select(g => g.Id).FirstOrDefaultAsync(cancellationToken);
        var incident = new Incident
        {
            Id = $"inc-{Guid.NewGuid():N}",
            RolloutId = rollout.Id,
            Model = rollout.Model,
            FromVersion = rollout.CandidateVersion,
            ToVersion = rollout.BaselineVersion,
            FromDigest = candidate?.Digest,
            ToDigest = target?.Digest,
            TriggerKind = trigger.Kind,
            TriggeredBy = trigger.Actor,
            TriggerReason = trigger.Reason,
            EvidenceJson = JsonSerializer.Serialize(new IncidentEvidence(
                trigger.Verdicts ?? [],
                trigger.FirstFailingAt,
                trigger.ApprovalId,
                new FrozenArtifacts(candidate?.Digest, target?.Digest, EncoderOf(candidate), EncoderOf(target), rollout.CalibrationSnapshotId),
                routingBefore is null ? null : RoutingTableDocument.From(routingBefore),
                rollout.StepIndex,
                rollout.State), JudgeRecord.JsonOptions),
            OpenedAt = now,
            Status = IncidentStates.Open,
            VerificationStatus = IncidentStates.VerificationPending,
            GameDayId = gameDayId,
            ConcurrencyToken = Guid.NewGuid(),
        };
        db.Add(incident);
        db.Add(Replay.ReplayRun.Queue(incident, rollout, trigger.Actor, now));
        if (candidate is not null && gameDayId is null)
        {
            candidate.FrozenByIncident = incident.Id;
            await RetireEncoderAsync(candidate, rollout.BaselineVersion, incident.Id, cancellationToken);
        }

        return incident;
    }

    /// <summary>
    /// The candidate's encoder is marked not reusable unless another live version pairs with it:
    /// the rollback target, or any version an alias points at (the demo's v2 and v3 share one, so
    /// it stays). Closing the incident lifts it.
    /// </summary>
    private async Task RetireEncoderAsync(ModelVersion candidate, int target, string incidentId, CancellationToken cancellationToken)
    {
        if (candidate.EncoderName is not { } name || candidate.EncoderVersion is not { } number)
        {
            return;
        }

        var aliased = db.Set<ModelAlias>().Select(a => new { a.Model, a.Version });
        var shared = await db.Set<ModelVersion>().AnyAsync(v => v.EncoderName == name && v.EncoderVersion == number && v.Id != candidate.Id
            && ((v.Model == candidate.Model && v.Version == target) || aliased.Any(a => a.Model == v.Model && a.Version == v.Version)), cancellationToken);
        var encoder = shared ? null : await db.Set<FeatureEncoderVersion>().SingleOrDefaultAsync(e => e.Name == name && e.Version == number, cancellationToken);
        if (encoder is { RetiredByIncident: null })
        {
            encoder.RetiredByIncident = incidentId;
        }
    }

    public static IncidentEvidence? ReadEvidence(string json) => JsonSerializer.Deserialize<IncidentEvidence>(json, JudgeRecord.JsonOptions);

    private static string? EncoderOf(ModelVersion? version) =>
        version?.EncoderName is { } name && version.EncoderVersion is { } number ? $"{name}@{number}" : null;
}

/// <summary>What the incident froze at the decision.</summary>
public sealed record IncidentEvidence(
    IReadOnlyList<VerdictRecord> Verdicts,
    DateTimeOffset? FirstFailingAt,
    string? ApprovalId,
    FrozenArtifacts Artifacts,
    RoutingTableDocument? RoutingBefore,
    int StepIndex,
    string StateAtDecision);

public sealed record FrozenArtifacts(string? CandidateDigest, string? TargetDigest, string? CandidateEncoder, string? TargetEncoder, string? CalibrationSnapshotId);
