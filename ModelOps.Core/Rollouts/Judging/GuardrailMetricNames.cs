namespace ModelOps.Core.Rollouts.Judging;

/// <summary>The contract's wire names of <see cref="GuardrailMetric"/> (plans, verdicts, reasons), both ways in one place.</summary>
public static class GuardrailMetricNames
{
    private static readonly (string Name, GuardrailMetric Metric)[] Names =
    [
        ("latency_p95", GuardrailMetric.LatencyP95), ("latency_p99", GuardrailMetric.LatencyP99),
        ("error_rate", GuardrailMetric.ErrorRate), ("timeout_rate", GuardrailMetric.TimeoutRate),
        ("kpi", GuardrailMetric.Kpi), ("null_rate", GuardrailMetric.NullRate),
        ("score_psi", GuardrailMetric.ScorePsi), ("drift_psi", GuardrailMetric.DriftPsi),
        ("offline", GuardrailMetric.Offline), ("srm", GuardrailMetric.Srm),
    ];

    /// <summary>Every name a plan may use (<c>offline_auc</c> is read as offline on <c>auc</c>).</summary>
    public static string Known => string.Join(", ", Names.Select(n => n.Name)) + ", offline_auc";

    public static string ToWire(this GuardrailMetric metric) => Names.First(n => n.Metric == metric).Name;

    public static GuardrailMetric? FromWire(string? name) =>
        Names.FirstOrDefault(n => n.Name == name) is { Name: not null } found ? found.Metric : null;
}
