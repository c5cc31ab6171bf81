using Microsoft.Extensions.Options;
using ModelOps.Web.Rollouts;
using Quartz;

namespace ModelOps.Web.Incidents;

/// <summary>
/// Schedules an incident's verification job (idempotent): a run now, then every
/// <c>ModelOps:Gates:IntervalSeconds</c> until it has a result. A run missed while busy or down is
/// not replayed (misfire: next with remaining count); each run catches up on its own.
/// </summary>
public sealed class IncidentVerificationJobs(ISchedulerFactory schedulers, IOptions<GatesOptions> gates)
{
    public async Task ScheduleAsync(string incidentId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = VerifyIncidentJob.KeyFor(incidentId);
        if (await scheduler.Exists(key, cancellationToken))
        {
            return;
        }

        var job = JobBuilder.Create<VerifyIncidentJob>().WithIdentity(key).UsingJobData(VerifyIncidentJob.IncidentIdKey, incidentId).Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity($"{key.Name}-every", VerifyIncidentJob.Group)
            .StartNow()
            .WithSimpleSchedule(schedule => schedule
                .WithInterval(TimeSpan.FromSeconds(gates.Value.IntervalSeconds))
                .RepeatForever()
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
            .Build();
        try
        {
            await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions(), cancellationToken);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Two sweeps raced to schedule it: one job, as wanted.
        }
    }
}
