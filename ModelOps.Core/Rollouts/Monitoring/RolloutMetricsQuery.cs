using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Rollouts.Stability;

namespace ModelOps.Core.Rollouts.Monitoring;

/// <summary>
/// The rollout side of a <c>/metrics</c> scrape, in two queries with bounded results: the active
/// rollouts and those ended in the last <see cref="RecentlyEnded"/> (at most <see cref="MaxRollouts"/>
/// rows; plan and judge JSON for active ones only), and one aggregate over every decided rollback
/// grouped by model and trigger (counts, restore histograms and the chronic-failure tally computed in
/// SQL, so one row per model and trigger however many rollbacks there were).
/// </summary>
public sealed class RolloutMetricsQuery(ModelOpsDbContext db, IOptions<ChronicFailureOptions> chronic, TimeProvider time)
{
    /// <summary>How long an ended rollout still shows its final state.</summary>
    public static readonly TimeSpan RecentlyEnded = TimeSpan.FromHours(1);

    /// <summary>At most this many rollouts per scrape: one active per model plus the last hour's endings fit many times over.</summary>
    public const int MaxRollouts = 500;

    public const string UnknownTrigger = "unknown";

    // Read by EF as query parameters (index by index), so the SQL matches RestoreHistogram.BoundsSeconds.
    private static readonly double[] BoundsMs = [.. RestoreHistogram.BoundsSeconds.Select(s => s * 1000)];

    public async Task<RolloutMetrics> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rows = await RecentAsync(now - RecentlyEnded, cancellationToken);
        var groups = await RollbacksAsync(now.AddHours(-chronic.Value.PeriodHours), cancellationToken);
        return new RolloutMetrics(
            [.. rows.Select(r => new RolloutStateSample(r.Id, r.Model, r.State))],
            [.. rows.Where(r => r.PlanJson is not null).SelectMany(Guardrails)],
            [.. groups.Select(g => new RollbackCount(g.Model, g.Trigger ?? UnknownTrigger, g.Count)).OrderBy(r => r.Model, StringComparer.Ordinal).ThenBy(r => r.Trigger, StringComparer.Ordinal)],
            Histogram(groups.Select(g => g.Decision)),
            Histogram(groups.Select(g => g.Detection)),
            [.. groups.GroupBy(g => g.Model, StringComparer.Ordinal).Select(m => (m.Key, ChronicFailure.Assess(
                m.Key, m.Sum(g => g.InPeriod), m.Min(g => g.EarliestInPeriod), chronic.Value)))]);
    }

    private Task<List<RolloutRow>> RecentAsync(DateTimeOffset endedSince, CancellationToken cancellationToken) =>
        db.Set<Rollout>().AsNoTracking()
            .Where(r => RolloutStates.Active.Contains(r.State) || r.EndedAt >= endedSince)
            .OrderByDescending(r => r.StartedAt)
            .Take(MaxRollouts)
            .Select(r => new RolloutRow(
                r.Id,
                r.Model,
                r.State,
                RolloutStates.Active.Contains(r.State) ? r.PlanJson : null,
                RolloutStates.Active.Contains(r.State) ? r.JudgeJson : null))
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Every decided rollback (rolling back or rolled back), grouped by model and trigger. A rollback
    /// is dated by its decision, else its end, as <see cref="ChronicFailures"/> dates it.
    /// </summary>
    private Task<List<RollbackGroup>> RollbacksAsync(DateTimeOffset periodStart, CancellationToken cancellationToken) =>
        db.Set<Rollout>().AsNoTracking()
            .Where(r => r.State == RolloutStates.RollingBack || r.State == RolloutStates.RolledBack)
            .GroupBy(r => new { r.Model, r.Trigger })
            .Select(g => new RollbackGroup(
                g.Key.Model,
                g.Key.Trigger,
                g.Count(),
                g.Count(r => (r.DecidedAt ?? r.EndedAt) >= periodStart),
                g.Where(r => (r.DecidedAt ?? r.EndedAt) >= periodStart).Min(r => r.DecidedAt ?? r.EndedAt),
                new RestoreTally(
                    g.Count(r => r.DecisionToRestoreMs != null),
                    g.Sum(r => r.DecisionToRestoreMs) ?? 0,
                    new[]
                    {
                        g.Count(r => r.DecisionToRestoreMs <= BoundsMs[0]), g.Count(r => r.DecisionToRestoreMs <= BoundsMs[1]),
                        g.Count(r => r.DecisionToRestoreMs <= BoundsMs[2]), g.Count(r => r.DecisionToRestoreMs <= BoundsMs[3]),
                        g.Count(r => r.DecisionToRestoreMs <= BoundsMs[4]), g.Count(r => r.DecisionToRestoreMs <= BoundsMs[5]),
                        g.Count(r => r.DecisionToRestoreMs <= BoundsMs[6]), g.Count(r => r.DecisionToRestoreMs <= BoundsMs[7]),
                        g.Count(r => r.DecisionToRestoreMs <= BoundsMs[8]),
                    }),
                new RestoreTally(
                    g.Count(r => r.DetectionToRestoreMs != null),
                    g.Sum(r => r.DetectionToRestoreMs) ?? 0,
                    new[]
                    {
                        g.Count(r => r.DetectionToRestoreMs <= BoundsMs[0]), g.Count(r => r.DetectionToRestoreMs <= BoundsMs[1]),
                        g.Count(r => r.DetectionToRestoreMs <= BoundsMs[2]), g.Count(r => r.DetectionToRestoreMs <= BoundsMs[3]),
                        g.Count(r => r.DetectionToRestoreMs <= BoundsMs[4]), g.Count(r => r.DetectionToRestoreMs <= BoundsMs[5]),
                        g.Count(r => r.DetectionToRestoreMs <= BoundsMs[6]), g.Count(r => r.DetectionToRestoreMs <= BoundsMs[7]),
                        g.Count(r => r.DetectionToRestoreMs <= BoundsMs[8]),
                    })))
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Each guardrail of an active rollout with a persisted verdict, severity from the plan. Verdicts
    /// are stored in plan order, one per guardrail; a record of another length is not matched up (as the engine does).
    /// </summary>
    private static IEnumerable<GuardrailStatusSample> Guardrails(RolloutRow row)
    {
        var plan = row.PlanJson is null ? null : RolloutPlanJson.Read(row.PlanJson);
        var verdicts = JudgeRecord.Read(row.JudgeJson)?.Verdicts ?? [];
        return plan is null || verdicts.Count != plan.Guardrails.Count ? [] : plan.Guardrails.Zip(verdicts).Select((p, i) => new GuardrailStatusSample(
            row.Id,
            row.Model,
            i + 1,
            p.First.Metric.ToWire(),
            p.First.Severity == GuardrailSeverity.Hard ? "hard" : "soft",
            Status(p.Second.Status),
            p.First.Feature));
    }

    private static string Status(VerdictStatus status) => status switch
    {
        VerdictStatus.Pass => "pass",
        VerdictStatus.Marginal => "marginal",
        VerdictStatus.Fail => "fail",
        _ => "insufficientData",
    };

    private static RestoreHistogram Histogram(IEnumerable<RestoreTally> tallies)
    {
        var list = tallies.ToList();
        return list.Count == 0
            ? RestoreHistogram.Empty
            : new RestoreHistogram(
                [.. BoundsMs.Select((_, i) => list.Sum(t => (long)t.Buckets[i]))],
                list.Sum(t => (long)t.Count),
                list.Sum(t => t.SumMs) / 1000);
    }

    private sealed record RolloutRow(string Id, string Model, string State, string? PlanJson, string? JudgeJson);

    private sealed record RestoreTally(int Count, double SumMs, int[] Buckets);

    private sealed record RollbackGroup(string Model, string? Trigger, long Count, int InPeriod, DateTimeOffset? EarliestInPeriod, RestoreTally Decision, RestoreTally Detection);
}
