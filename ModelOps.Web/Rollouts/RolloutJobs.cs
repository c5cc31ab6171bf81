using Microsoft.Extensions.Options;
using Quartz;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// Schedules a rollout's job (idempotent): its first look now, then every
/// <c>ModelOps:Gates:IntervalSeconds</c>. A look missed while the process was busy or down is not
/// replayed: the trigger moves on to the next slot (misfire: next with remaining count).
/// </summary>
public sealed class RolloutJobs(ISchedulerFactory schedulers, IOptions<GatesOptions> gates)
{
    public async Task ScheduleAsync(string rolloutId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = EvaluateRolloutJob.KeyFor(rolloutId);
        if (await scheduler.Exists(key, cancellationToken))
        {
            return;
        }

        var job = JobBuilder.Create<EvaluateRolloutJob>().WithIdentity(key).UsingJobData(EvaluateRolloutJob.RolloutIdKey, rolloutId).Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity($"{key.Name}-every", EvaluateRolloutJob.Group)
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
            // The sweep and the start endpoint raced to schedule it: one job, as wanted.
        }
    }
}
