using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModelOps.Core.Incidents.Verification;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Web.Incidents;
using Quartz;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// Every <c>ModelOps:Gates:IntervalSeconds</c>: reverts approvals past their time-out (the safe
/// default), checks the long-horizon KPI trend (<see cref="KpiTrendWatch"/>, itself rate-limited),
/// gives every active rollout its job if it has none — which is how the jobs are
/// rebuilt from the database at start, and how a rollout started by another path gets judged —
/// and likewise every incident whose rollback is decided and whose verification is pending its
/// verification job (<see cref="VerifyIncidentJob"/>), within one interval of the decision; and
/// verifies recent promotions (<see cref="PromotionVerifier"/>: a failed one opens an incident); and
/// carries out a decision whose swap failed, once <c>ModelOps:Gates:RepairAfterSeconds</c> have
/// passed since it (<see cref="RolloutRecovery.RepairAsync"/>).
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class RolloutSweepJob(
    IServiceScopeFactory scopes, RolloutJobs jobs, IncidentVerificationJobs verifications, KpiTrendWatch trends, IOptions<GatesOptions> gates, ILogger<RolloutSweepJob> logger) : IJob
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

        foreach (var id in await scope.ServiceProvider.GetRequiredService<IncidentVerifier>().DueAsync(cancellationToken))
        {
            await verifications.ScheduleAsync(id, cancellationToken);
        }

        foreach (var (rolloutId, status, reason) in await scope.ServiceProvider.GetRequiredService<PromotionVerifier>().RunAsync(cancellationToken))
        {
            Log.PromotionVerified(logger, rolloutId, status, reason);
        }

        await trends.CheckAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<RolloutRecovery>().RepairAsync(TimeSpan.FromSeconds(gates.Value.RepairAfterSeconds), cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {RolloutId}: promotion verification {Status}: {Reason}")]
        public static partial void PromotionVerified(ILogger logger, string rolloutId, string status, string reason);
    }
}
