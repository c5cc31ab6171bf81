using Quartz;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// One recurring Quartz job per subject (a rollout, an incident), scheduled idempotently: a run
/// now, then every <c>interval</c>. A run missed while the process was busy or down is not
/// replayed: the trigger moves on to the next slot (misfire: next with remaining count).
/// </summary>
public static class RecurringJobs
{
    public static async Task ScheduleAsync<TJob>(ISchedulerFactory schedulers, JobKey key, string dataKey, string subjectId, TimeSpan interval, CancellationToken cancellationToken)
        where TJob : IJob
    {
        ArgumentNullException.ThrowIfNull(schedulers);
        ArgumentNullException.ThrowIfNull(key);
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        if (await scheduler.Exists(key, cancellationToken))
        {
            return;
        }

        var job = JobBuilder.Create<TJob>().WithIdentity(key).UsingJobData(dataKey, subjectId).Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity($"{key.Name}-every", key.Group)
            .StartNow()
            .WithSimpleSchedule(schedule => schedule
                .WithInterval(interval)
                .RepeatForever()
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
            .Build();
        try
        {
            await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions(), cancellationToken);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Two callers (a sweep, an endpoint) raced to schedule it: one job, as wanted.
        }
    }
}
