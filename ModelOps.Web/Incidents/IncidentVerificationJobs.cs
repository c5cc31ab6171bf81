using Microsoft.Extensions.Options;
using ModelOps.Web.Rollouts;
using Quartz;

namespace ModelOps.Web.Incidents;

/// <summary>
/// Schedules an incident's verification job (idempotent): a run now, then every
/// <c>ModelOps:Gates:IntervalSeconds</c> until it has a result; a missed run is not replayed, each
/// run catches up on its own (<see cref="RecurringJobs"/>).
/// </summary>
public sealed class IncidentVerificationJobs(ISchedulerFactory schedulers, IOptions<GatesOptions> gates)
{
    public Task ScheduleAsync(string incidentId, CancellationToken cancellationToken) =>
        RecurringJobs.ScheduleAsync<VerifyIncidentJob>(
            schedulers, VerifyIncidentJob.KeyFor(incidentId), VerifyIncidentJob.IncidentIdKey, incidentId, TimeSpan.FromSeconds(gates.Value.IntervalSeconds), cancellationToken);
}
