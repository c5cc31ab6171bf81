using ModelOps.Core.Incidents.Replay;
using ModelOps.Core.Rollouts.Shadow;
using ModelOps.Web.Incidents;
using Quartz;

namespace ModelOps.Web.Rollouts;

public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Quartz (its in-memory store on SQLite; clustered on PostgreSQL, see <c>AddModelOpsCluster</c>,
    /// where every trigger needs a stable identity or each start would store another copy): a job per active rollout judges it every
    /// <see cref="GatesOptions.IntervalSeconds"/>; a sweep job on the same interval reverts timed-out
    /// approvals and (re)creates a missing rollout job, so at start every job is rebuilt from the
    /// database, where the rollouts, their judge state and their approvals live; the same sweep gives
    /// each incident whose verification is pending its verification job. Before any job
    /// runs, <see cref="RolloutReconciler"/> puts traffic where each rollout's stored state says.
    /// <see cref="ReplayJob"/> runs incidents' queued replays (queued in the database, so none is lost to a restart).
    /// </summary>
    public static IServiceCollection AddModelOpsJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatesOptions>().BindConfiguration(GatesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var gates = configuration.GetSection(GatesOptions.Section).Get<GatesOptions>() ?? new GatesOptions();
        services.AddOptions<ReplayOptions>().BindConfiguration(ReplayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ShadowDiffOptions>().BindConfiguration(ShadowDiffOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var replay = configuration.GetSection(ReplayOptions.Section).Get<ReplayOptions>() ?? new ReplayOptions();
        services.AddSingleton<RolloutJobs>();
        services.AddScoped<RolloutLauncher>();
        services.AddScoped<SpotChecks>();
        services.AddSingleton<Incidents.IncidentVerificationJobs>();
        services.AddHostedService<RolloutReconciler>();
        services.AddQuartz(quartz =>
        {
            quartz.AddJob<RolloutSweepJob>(job => job.WithIdentity(RolloutSweepJob.Key));
            quartz.AddTrigger(trigger => trigger
                .ForJob(RolloutSweepJob.Key)
                .WithIdentity($"{RolloutSweepJob.Key.Name}-every", RolloutSweepJob.Key.Group)
                .StartNow()
                .WithSimpleSchedule(schedule => schedule
                    .WithInterval(TimeSpan.FromSeconds(gates.IntervalSeconds))
                    .RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
            quartz.AddJob<ReplayJob>(job => job.WithIdentity(ReplayJob.Key));
            quartz.AddTrigger(trigger => trigger
                .ForJob(ReplayJob.Key)
                .WithIdentity($"{ReplayJob.Key.Name}-every", ReplayJob.Key.Group)
                .StartNow()
                .WithSimpleSchedule(schedule => schedule
                    .WithInterval(TimeSpan.FromSeconds(replay.PollSeconds))
                    .RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return services;
    }
}
