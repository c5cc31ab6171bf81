using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Incidents.Samples;
using ModelOps.Core.Incidents.Series;
using ModelOps.Core.Incidents.Verification;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Plans;

namespace ModelOps.Core.Incidents;

/// <summary>
/// Right after a rollback's decision commits and its traffic has moved: the incident's watch is
/// opened, both arms' series copied up to the last whole bucket and the candidate's logged requests
/// sampled up to now, in one save — so the evidence no longer waits for the first verification run
/// (a crash, or the metrics store's horizon passing, in between would lose it). Verification then
/// keeps appending the series, and tops the sample up once the rollback has ended. Idempotent: an
/// incident that already has its watch (the verifier came first, or this ran before) is left alone.
/// Runs in a scope of its own: the caller's context still tracks the rollout it decided, and this
/// save must carry the evidence only.
/// </summary>
public sealed class IncidentEvidenceCopy(IServiceScopeFactory scopes)
{
    /// <summary>True when this call copied the evidence.</summary>
    public async Task<bool> CopyAsync(string incidentId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        return await CopyAsync(
            services.GetRequiredService<ModelOpsDbContext>(), services.GetRequiredService<IncidentSeriesRecorder>(), services.GetRequiredService<IncidentSampleRecorder>(),
            services.GetRequiredService<TimeProvider>(), incidentId, cancellationToken);
    }

    private static async Task<bool> CopyAsync(
        ModelOpsDbContext db, IncidentSeriesRecorder series, IncidentSampleRecorder samples, TimeProvider time, string incidentId, CancellationToken cancellationToken)
    {
        if (await db.Set<IncidentWatch>().AnyAsync(w => w.IncidentId == incidentId, cancellationToken))
        {
            return false;
        }

        var incident = await db.Set<Incident>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == incidentId, cancellationToken);
        var rollout = incident is null ? null : await db.Set<Rollout>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == incident.RolloutId, cancellationToken);
        if (incident is null || rollout is null || RolloutPlanJson.Read(rollout.PlanJson) is not { } plan)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var watch = IncidentVerifier.Open(incident, rollout, plan);
        db.Add(watch);
        series.Append(watch, now);
        // The candidate's requests during the rollout: up to its end, not up to this copy, which
        // can run after requests already in flight when the traffic moved back were logged.
        await samples.AddAsync(incidentId, rollout, rollout.EndedAt ?? now, cancellationToken);
        watch.ConcurrencyToken = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            if (await db.Set<IncidentWatch>().AsNoTracking().AnyAsync(w => w.IncidentId == incidentId, cancellationToken))
            {
                // The verifier's first run opened the watch meanwhile: its copy stands, and it appends from there.
                return false;
            }

            throw;
        }
    }
}
