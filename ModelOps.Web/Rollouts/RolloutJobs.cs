using Microsoft.Extensions.Options;
using Quartz;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// Schedules a rollout's job (idempotent): its first look now, then every
/// <c>ModelOps:Gates:IntervalSeconds</c>; a missed look is not replayed (<see cref="RecurringJobs"/>).
/// </summary>
public sealed class RolloutJobs(ISchedulerFactory schedulers, IOptions<GatesOptions> gates)
{
    public Task ScheduleAsync(string rolloutId, CancellationToken cancellationToken) =>
        RecurringJobs.ScheduleAsync<EvaluateRolloutJob>(
            schedulers, EvaluateRolloutJob.KeyFor(rolloutId), EvaluateRolloutJob.RolloutIdKey, rolloutId, TimeSpan.FromSeconds(gates.Value.IntervalSeconds), cancellationToken);
}
