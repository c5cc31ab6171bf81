using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Audit;
using ModelOps.Core.Common;
using ModelOps.Core.Incidents.Samples;
using ModelOps.Core.Incidents.Series;
using ModelOps.Core.Incidents.Verification;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Rollouts;

namespace ModelOps.Core.Incidents;

/// <summary>
/// Reads incidents with their timeline (every audit row about the rollout or the incident, in
/// order: the audit log is the record) and closes them. Closing needs a root cause and a
/// verification result; it unfreezes the candidate unless another open incident froze it too.
/// </summary>
public sealed class IncidentService(ModelOpsDbContext db, AuditTrail trail, TimeProvider time)
{
    public async Task<IReadOnlyList<Incident>> ListAsync(string? model, string? status, CancellationToken cancellationToken)
    {
        var rows = db.Set<Incident>().AsNoTracking();
        rows = model is null ? rows : rows.Where(i => i.Model == model);
        rows = status is null ? rows : rows.Where(i => i.Status == status);
        var list = await rows.ToListAsync(cancellationToken);
        return [.. list.OrderByDescending(i => i.OpenedAt)];
    }

    public Task<Incident?> FindAsync(string id, CancellationToken cancellationToken) =>
        db.Set<Incident>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, cancellationToken);

    public async Task<IReadOnlyList<AuditEntry>> TimelineAsync(Incident incident, CancellationToken cancellationToken) =>
        (await TimelinesAsync([incident], cancellationToken))[incident.Id];

    /// <summary>Each incident's timeline (audit rows about its rollout or itself, in order), read in one query.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<AuditEntry>>> TimelinesAsync(IReadOnlyList<Incident> incidents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        var targets = incidents.SelectMany(i => new[] { Rollout.AuditTarget(i.RolloutId), Incident.AuditTarget(i.Id) }).Distinct().ToList();
        var rows = await db.Set<AuditEntry>().AsNoTracking().Where(e => targets.Contains(e.Target)).OrderBy(e => e.Seq).ToListAsync(cancellationToken);
        return incidents.ToDictionary(
            i => i.Id,
            i => (IReadOnlyList<AuditEntry>)[.. rows.Where(e => e.Target == Rollout.AuditTarget(i.RolloutId) || e.Target == Incident.AuditTarget(i.Id))]);
    }

    /// <summary>
    /// Each incident's follow-up (watch, sample count, and with <paramref name="withSeries"/> its
    /// series buckets and sample rows), read in up to three queries: with the rows read, their count
    /// is theirs; without (lists), one grouped count query stands in for them.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IncidentFollowUp>> FollowUpsAsync(IReadOnlyList<Incident> incidents, bool withSeries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        var ids = incidents.Select(i => i.Id).ToList();
        var watches = await db.Set<IncidentWatch>().AsNoTracking().Where(w => ids.Contains(w.IncidentId)).ToDictionaryAsync(w => w.IncidentId, cancellationToken);
        var buckets = withSeries
            ? (await db.Set<IncidentSeriesBucket>().AsNoTracking().Where(b => ids.Contains(b.IncidentId)).OrderBy(b => b.At).ToListAsync(cancellationToken)).ToLookup(b => b.IncidentId)
            : null;
        var samples = withSeries
            ? (await db.Set<IncidentSample>().AsNoTracking().Where(s => ids.Contains(s.IncidentId)).OrderBy(s => s.At).ThenBy(s => s.Id).ToListAsync(cancellationToken)).ToLookup(s => s.IncidentId)
            : null;
        var counts = samples is not null
            ? samples.ToDictionary(g => g.Key, g => g.Count())
            : await db.Set<IncidentSample>().AsNoTracking().Where(s => ids.Contains(s.IncidentId))
                .GroupBy(s => s.IncidentId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return ids.Distinct().ToDictionary(
            id => id,
            id => new IncidentFollowUp(
                watches.GetValueOrDefault(id),
                buckets is null ? null : [.. buckets[id]],
                counts.GetValueOrDefault(id),
                samples is null ? null : [.. samples[id]]));
    }

    public async Task<Result<Incident>> CloseAsync(string id, string? rootCause, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(rootCause))
        {
            return Error.Invalid("rootCause", "\"rootCause\" is missing: say what caused the incident, so the next reviewer and the next rollout learn from it.");
        }

        return await trail.ExecuteAsync<Incident>(async ct =>
        {
            var incident = await db.Set<Incident>().SingleOrDefaultAsync(i => i.Id == id, ct);
            if (incident is null)
            {
                return Error.NotFound($"No incident '{id}'; GET /api/incidents lists them.");
            }

            if (incident.Status == IncidentStates.Closed)
            {
                return Error.Conflict($"Incident {id} was already closed by {incident.ClosedBy} at {incident.ClosedAt:O}.");
            }

            if (incident.VerificationStatus == IncidentStates.VerificationPending)
            {
                return Error.Conflict($"Incident {id} cannot be closed before its post-rollback verification has a result; wait for it (GET /api/incidents/{id}, verification.status).");
            }

            incident.Status = IncidentStates.Closed;
            incident.ClosedAt = time.GetUtcNow();
            incident.ClosedBy = actor;
            incident.RootCause = rootCause;
            incident.ConcurrencyToken = Guid.NewGuid();
            var version = await db.Set<ModelVersion>().SingleOrDefaultAsync(v => v.Model == incident.Model && v.Version == incident.FromVersion && v.FrozenByIncident == incident.Id, ct);
            if (version is not null)
            {
                var other = await db.Set<Incident>().Where(i => i.Id != incident.Id && i.Model == incident.Model && i.FromVersion == incident.FromVersion && i.Status == IncidentStates.Open)
                    .Select(i => i.Id).FirstOrDefaultAsync(ct);
                version.FrozenByIncident = other;
            }

            foreach (var encoder in await db.Set<FeatureEncoderVersion>().Where(e => e.RetiredByIncident == incident.Id).ToListAsync(ct))
            {
                encoder.RetiredByIncident = null;
            }

            return new AuditedChange<Incident>(incident, new AuditRecord(actor, "incident.closed", Incident.AuditTarget(incident.Id), new { rootCause, rolloutId = incident.RolloutId }, incident.Model));
        }, cancellationToken);
    }
}
