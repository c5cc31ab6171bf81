using ModelOps.Core.Rollouts.Engine;
using Quartz;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// One rollout's job: a look every <c>ModelOps:Gates:IntervalSeconds</c>. Never two looks at one
/// rollout at once — a slow look delays the next instead of racing it. Once the rollout has ended
/// the job deletes itself.
/// </summary>
[DisallowConcurrentExecution]
public sealed class EvaluateRolloutJob(RolloutEvaluator evaluator) : IJob
{
    public const string Group = "rollouts";
    public const string RolloutIdKey = "rolloutId";

    public static JobKey KeyFor(string rolloutId) => new($"rollout-{rolloutId}", Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var id = context.MergedJobDataMap.GetString(RolloutIdKey);
        if (id is null || !await evaluator.EvaluateAsync(id, cancellationToken))
        {
            await context.Scheduler.DeleteJob(context.JobDetail.Key, cancellationToken);
        }
    }
}
