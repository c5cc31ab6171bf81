using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;

namespace ModelOps.Core.GameDays;

/// <summary>
/// What a drill is scored against, derived from its plan and fault: detection within the window
/// plus sustain of the quickest guardrail that watches what the fault moves (a breach must show
/// within one window), the decision within that sustain plus <see cref="DecisionSlackSeconds"/>
/// (the judge's next looks and the commit), the restore within <see cref="RestoreTargetSeconds"/>, and
/// verification <c>recovered</c>.
/// </summary>
public sealed record GameDayTargets(double? DetectionSeconds, double? DecisionSeconds, double RestoreSeconds, string Verification)
{
    /// <summary>Two looks at the default 2 s gate interval, plus the commit.</summary>
    public const double DecisionSlackSeconds = 5;

    /// <summary>The router swaps one table reference; docs/rollback-restore.md measures p99 well under this.</summary>
    public const double RestoreTargetSeconds = 1;

    public static GameDayTargets From(RolloutPlan plan, GameDayFault fault)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(fault);
        var watched = WatchedBy(fault);

        // The guardrails that can see this fault; failing those, any that judges live traffic.
        var live = plan.Guardrails.Where(g => g.Metric is not GuardrailMetric.Srm and not GuardrailMetric.Offline).ToList();
        var relevant = live.Where(g => watched.Contains(g.Metric)).ToList() is { Count: > 0 } matching ? matching : live;
        return new GameDayTargets(
            relevant.Count == 0 ? null : relevant.Min(g => g.WindowSeconds + g.SustainSeconds),
            relevant.Count == 0 ? null : relevant.Min(g => g.SustainSeconds) + DecisionSlackSeconds,
            RestoreTargetSeconds,
            Incidents.IncidentStates.Recovered);
    }

    /// <summary>The metrics a fault moves: latency (and time-outs past the request limit), errors, or the KPI.</summary>
    private static HashSet<GuardrailMetric> WatchedBy(GameDayFault fault)
    {
        var metrics = new HashSet<GuardrailMetric>();
        if (fault.AddedLatencyMs is > 0)
        {
            metrics.UnionWith([GuardrailMetric.LatencyP95, GuardrailMetric.LatencyP99, GuardrailMetric.TimeoutRate]);
        }

        if (fault.ErrorRate is > 0)
        {
            metrics.Add(GuardrailMetric.ErrorRate);
        }

        if (fault.KpiFactor is { } factor && factor != 1)
        {
            metrics.Add(GuardrailMetric.Kpi);
        }

        return metrics;
    }
}
