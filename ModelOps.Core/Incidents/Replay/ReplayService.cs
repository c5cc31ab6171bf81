using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Audit;
using ModelOps.Core.Common;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts;

namespace ModelOps.Core.Incidents.Replay;

/// <summary>
/// Reads an incident's replays and carries out people's requests about them, audited on the
/// incident: cancel the pending one (a queued replay ends at once; a running one stops at its next
/// batch, keeping what it scored), or queue a new one when none is pending.
/// </summary>
public sealed class ReplayService(ModelOpsDbContext db, AuditTrail trail, TimeProvider time)
{
    /// <summary>Each incident's latest replay (by queue time), for those that have one.</summary>
    public async Task<IReadOnlyDictionary<string, ReplayRun>> LatestAsync(IReadOnlyCollection<string> incidentIds, CancellationToken cancellationToken)
    {
        var runs = await db.Set<ReplayRun>().AsNoTracking().Where(r => incidentIds.Contains(r.IncidentId)).ToListAsync(cancellationToken);
        return runs.GroupBy(r => r.IncidentId).ToDictionary(g => g.Key, g => g.MaxBy(r => r.QueuedAt)!, StringComparer.Ordinal); // MaxBy of a non-empty group.
    }

    public Task<Result<ReplayRun>> CancelAsync(string incidentId, string actor, CancellationToken cancellationToken) =>
        trail.ExecuteAsync<ReplayRun>(async ct =>
        {
            var latest = await LatestTrackedAsync(incidentId, ct);
            if (!latest.IsSuccess)
            {
                return latest.Error;
            }

            var run = latest.Value;
            if (!ReplayStates.IsPending(run.Status))
            {
                return Error.Conflict($"Incident {incidentId}'s replay is {run.Status}; nothing to cancel. POST /api/incidents/{incidentId}/replay queues a new one.");
            }

            run.CancelRequestedBy = actor;
            if (run.Status == ReplayStates.Queued)
            {
                run.Status = ReplayStates.Cancelled;
                run.EndedAt = time.GetUtcNow();
            }

            return new AuditedChange<ReplayRun>(run, new AuditRecord(
                actor, "incident.replayCancelled", Incident.AuditTarget(incidentId), new { replayId = run.Id, rowsDone = run.RowsDone, rowsTotal = run.RowsTotal }, run.Model));
        }, cancellationToken);

    public Task<Result<ReplayRun>> RerunAsync(string incidentId, string actor, CancellationToken cancellationToken) =>
        trail.ExecuteAsync<ReplayRun>(async ct =>
        {
            var incident = await db.Set<Incident>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == incidentId, ct);
            if (incident is null)
            {
                return NotFound(incidentId);
            }

            var runs = await db.Set<ReplayRun>().AsNoTracking().Where(r => r.IncidentId == incidentId).ToListAsync(ct);
            if (runs.FirstOrDefault(r => ReplayStates.IsPending(r.Status)) is { } pending)
            {
                return Error.Conflict($"Incident {incidentId}'s replay {pending.Id} is already {pending.Status}; wait for it or cancel it (POST /api/incidents/{incidentId}/replay/cancel).");
            }

            var rollout = await db.Set<Rollout>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == incident.RolloutId, ct);
            if (rollout is null)
            {
                return Error.NotFound($"Rollout {incident.RolloutId} of incident {incidentId} is gone; there is no traffic window to replay.");
            }

            var run = ReplayRun.Queue(incident, rollout, actor, time.GetUtcNow());
            run.To = rollout.DecidedAt ?? incident.OpenedAt;
            db.Add(run);
            return new AuditedChange<ReplayRun>(run, new AuditRecord(actor, "incident.replayQueued", Incident.AuditTarget(incidentId), new { replayId = run.Id }, run.Model));
        }, cancellationToken);

    private async Task<Result<ReplayRun>> LatestTrackedAsync(string incidentId, CancellationToken cancellationToken)
    {
        var runs = await db.Set<ReplayRun>().Where(r => r.IncidentId == incidentId).ToListAsync(cancellationToken);
        if (runs.Count > 0)
        {
            return runs.MaxBy(r => r.QueuedAt)!; // Count > 0.
        }

        return await db.Set<Incident>().AnyAsync(i => i.Id == incidentId, cancellationToken)
            ? Error.Conflict($"Incident {incidentId} has no replay; POST /api/incidents/{incidentId}/replay queues one.")
            : NotFound(incidentId);
    }

    private static Error NotFound(string incidentId) => Error.NotFound($"No incident '{incidentId}'; GET /api/incidents lists them.");
}
