using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;

namespace ModelOps.Core.GameDays;

/// <summary>
/// What a drill is scored against, derived from its plan: detection within the slowest live
/// guardrail's window plus its sustain (a breach must show within one window), the decision within
/// its sustain plus <see cref="DecisionSlackSeconds"/> (the judge's next looks and the commit), the
/// restore within <see cref="RestoreSeconds"/>, and verification <c>recovered</c>.
/// </summary>
public sealed record GameDayTargets(double? DetectionSeconds, double? DecisionSeconds, double RestoreSeconds, string Verification)
{
    /// <summary>Two looks at the default 2 s gate interval, plus the commit.</summary>
    public const double DecisionSlackSeconds = 5;

    /// <summary>The router swaps one table reference; docs/rollback-restore.md measures p99 well under this.</summary>
    public const double RestoreTargetSeconds = 1;

    public static GameDayTargets From(RolloutPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);

        // Sample-ratio and offline guardrails cannot see a fault in live traffic.
        var live = plan.Guardrails.Where(g => g.Metric is not GuardrailMetric.Srm and not GuardrailMetric.Offline).ToList();
        return new GameDayTargets(
            live.Count == 0 ? null : live.Max(g => g.WindowSeconds + g.SustainSeconds),
            live.Count == 0 ? null : live.Max(g => g.SustainSeconds) + DecisionSlackSeconds,
            RestoreTargetSeconds,
            Incidents.IncidentStates.Recovered);
    }
}
