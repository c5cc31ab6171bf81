using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>
/// The long-horizon KPI trend as a soft trigger: every <see cref="Every"/> per rollout moving
/// forward for at least <see cref="KpiTrend.MinHours"/> hours, the hourly KPI of candidate and
/// baseline over up to 48 h is read from the persisted log and feedback and tested
/// (<see cref="KpiTrend"/>); a significant downward drift raises a <c>kpiTrend</c> approval, at
/// most once per rollout unless an approver let the last one continue more than a day ago.
/// </summary>
public sealed class KpiTrendWatch(IServiceScopeFactory scopes, IKpiHistory history, TimeProvider time)
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastCheck = new(StringComparer.Ordinal);

    public async Task<int> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        var old = now.AddHours(-KpiTrend.MinHours);
        var rollouts = await db.Set<Rollout>().AsNoTracking()
            .Where(r => r.State == RolloutStates.Progressing || r.State == RolloutStates.Shadowing).ToListAsync(cancellationToken);
        var raised = 0;
        foreach (var rollout in rollouts.Where(r => r.StartedAt <= old))
        {
            if (_lastCheck.TryGetValue(rollout.Id, out var last) && now - last < Every)
            {
                continue;
            }

            _lastCheck[rollout.Id] = now;
            var earlier = await db.Set<RolloutApproval>().AsNoTracking().Where(a => a.RolloutId == rollout.Id && a.Kind == ApprovalKinds.KpiTrend).ToListAsync(cancellationToken);
            if (earlier.Any(a => a.Status != ApprovalStatuses.Continued || a.DecidedAt > now.AddDays(-1)))
            {
                continue;
            }

            var from = now.AddHours(-KpiTrend.MaxHours) > rollout.StartedAt ? now.AddHours(-KpiTrend.MaxHours) : rollout.StartedAt;
            var trend = KpiTrend.Assess(
                await history.HourlyAsync(rollout.Model, rollout.CandidateVersion, from, cancellationToken),
                await history.HourlyAsync(rollout.Model, rollout.BaselineVersion, from, cancellationToken));
            if (trend.DriftingNegative)
            {
                var approval = await scope.ServiceProvider.GetRequiredService<RolloutApprovals>().RaiseAsync(rollout.Id,
                    new ApprovalRequest(ApprovalKinds.KpiTrend, RolloutEvaluator.Actor, trend.Reason, trend), cancellationToken);
                raised += approval.IsSuccess ? 1 : 0;
            }
        }

        return raised;
    }
}
