using Quartz;

namespace ModelOps.Web.Rollouts;

public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Quartz with its in-memory store: every job's schedule is rebuilt at start, and the rollouts
    /// they act on are read from the database at each run, so nothing is lost with the scheduler.
    /// One job judges every progressing rollout every <see cref="GatesOptions.IntervalSeconds"/>.
    /// </summary>
    public static IServiceCollection AddModelOpsJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatesOptions>().BindConfiguration(GatesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var gates = configuration.GetSection(GatesOptions.Section).Get<GatesOptions>() ?? new GatesOptions();
        services.AddQuartz(quartz =>
        {
            quartz.AddJob<EvaluateRolloutsJob>(job => job.WithIdentity(EvaluateRolloutsJob.Key));
            quartz.AddTrigger(trigger => trigger
                .ForJob(EvaluateRolloutsJob.Key)
                .StartNow()
                .WithSimpleSchedule(schedule => schedule
                    .WithInterval(TimeSpan.FromSeconds(gates.IntervalSeconds))
                    .RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return services;
    }
}
