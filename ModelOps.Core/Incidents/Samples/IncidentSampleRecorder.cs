using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModelOps.Core.Incidents.Verification;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts;

namespace ModelOps.Core.Incidents.Samples;

/// <summary>
/// Copies a sample of the candidate's logged requests during the rollout into the incident: first
/// right after the rollback decision (<see cref="IncidentRecorder.FreezeEvidenceAsync"/>, what the
/// log holds up to then), then topped up once from its start to the end of the rollback, at the
/// first follow-up run after the rollback has ended and the log writer has had
/// <see cref="FlushGrace"/> to flush the last requests. An incident whose log rows are already
/// gone keeps what it has; it is not retried.
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

        var added = await AddAsync(incidentId, rollout, ended, cancellationToken);
        watch.SamplesCopiedAt = now;
        watch.ConcurrencyToken = Guid.NewGuid();
        await db.SaveChangesAsync(cancellationToken);
        return added;
    }

    /// <summary>
    /// Adds to the context (the caller saves) a sample of the candidate's requests logged from the
    /// rollout's start to <paramref name="to"/>, topping up what the incident already holds to
    /// <c>SampleSize</c> rows (a request already sampled is not added twice); returns how many.
    /// </summary>
    public async Task<int> AddAsync(string incidentId, Rollout rollout, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var settings = options.Value;
        var held = (await db.Set<IncidentSample>().AsNoTracking().Where(s => s.IncidentId == incidentId).Select(s => s.RequestId).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        if (held.Count >= settings.SampleSize)
        {
            return 0;
        }

        var keys = await log.KeysAsync(rollout.Model, rollout.CandidateVersion, rollout.StartedAt, to, cancellationToken);
        var ids = SampleSelection.Pick(keys, settings.SampleSize - held.Count, settings.SampleFailedShare, settings.SampleSeed ?? SeedOf(incidentId));
        var rows = (await log.RowsAsync(ids, cancellationToken)).Where(r => held.Add(r.RequestId)).ToList();
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

        return rows.Count;
    }

    /// <summary>A seed stable across processes (string.GetHashCode is randomised per process).</summary>
    public static int SeedOf(string incidentId) =>
        BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(incidentId)), 0);
}
