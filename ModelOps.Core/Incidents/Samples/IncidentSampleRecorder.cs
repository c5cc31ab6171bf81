using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModelOps.Core.Incidents.Verification;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts;

namespace ModelOps.Core.Incidents.Samples;

/// <summary>
/// Copies a sample of the candidate's logged requests during the rollout (its start to the end of
/// the rollback) into the incident, once: at the first follow-up run after the rollback has ended
/// and the log writer has had <see cref="FlushGrace"/> to flush the last requests. An incident
/// whose log rows are already gone keeps an empty sample; it is not retried.
/// </summary>
public sealed class IncidentSampleRecorder(ModelOpsDbContext db, ILoggedRequests log, IOptions<IncidentSampleOptions> options, TimeProvider time)
{
    /// <summary>Well above the log writer's default flush interval (200 ms), so the requests just before the decision are in.</summary>
    public static readonly TimeSpan FlushGrace = TimeSpan.FromSeconds(2);

    /// <summary>Copies the sample if it is due; returns how many rows were copied, or null when not (yet, or any more) due.</summary>
    public async Task<int?> CopyAsync(string incidentId, CancellationToken cancellationToken)
    {
        var watch = await db.Set<IncidentWatch>().SingleOrDefaultAsync(w => w.IncidentId == incidentId, cancellationToken);
        if (watch is not { SamplesCopiedAt: null })
        {
            return null;
        }

        var rollout = await db.Set<Incident>().AsNoTracking().Where(i => i.Id == incidentId)
            .Join(db.Set<Rollout>().AsNoTracking(), i => i.RolloutId, r => r.Id, (i, r) => r).SingleOrDefaultAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (rollout is not { State: RolloutStates.RolledBack, EndedAt: { } ended } || now < ended + FlushGrace)
        {
            return null;
        }

        var settings = options.Value;
        var keys = await log.KeysAsync(rollout.Model, rollout.CandidateVersion, rollout.StartedAt, ended, cancellationToken);
        var ids = SampleSelection.Pick(keys, settings.SampleSize, settings.SampleFailedShare, settings.SampleSeed ?? SeedOf(incidentId));
        var rows = await log.RowsAsync(ids, cancellationToken);
        foreach (var row in rows)
        {
            db.Add(new IncidentSample
            {
                IncidentId = incidentId,
                RequestId = row.RequestId,
                At = row.At,
                Version = row.Version,
                Arm = row.Arm,
                Region = row.Region,
                RoutingKey = row.RoutingKey,
                FeaturesJson = row.FeaturesJson,
                Score = row.Score,
                Status = row.Status,
                Error = row.Error,
                LatencyMs = row.LatencyMs,
            });
        }

        watch.SamplesCopiedAt = now;
        watch.ConcurrencyToken = Guid.NewGuid();
        await db.SaveChangesAsync(cancellationToken);
        return rows.Count;
    }

    /// <summary>A seed stable across processes (string.GetHashCode is randomised per process).</summary>
    public static int SeedOf(string incidentId) =>
        BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(incidentId)), 0);
}
