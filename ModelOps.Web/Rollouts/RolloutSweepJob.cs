using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using Quartz;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// Every <c>ModelOps:Gates:IntervalSeconds</c>: reverts approvals past their time-out (the safe
/// default), checks the long-horizon KPI trend (<see cref="KpiTrendWatch"/>, itself rate-limited),
/// and gives every active rollout its job if it has none — which is how the jobs are
/// rebuilt from the database at start, and how a rollout started by another path gets judged.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RolloutSweepJob(IServiceScopeFactory scopes, RolloutJobs jobs, KpiTrendWatch trends) : IJob
{
    public static readonly JobKey Key = new("sweep", EvaluateRolloutJob.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RolloutApprovals>().TimeOutAsync(cancellationToken);
        var active = await scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Set<Rollout>()
            .Where(r => RolloutStates.Active.Contains(r.State)).Select(r => r.Id).ToListAsync(cancellationToken);
        foreach (var id in active)
        {
            await jobs.ScheduleAsync(id, cancellationToken);
        }

        await trends.CheckAsync(cancellationToken);
    }
}
