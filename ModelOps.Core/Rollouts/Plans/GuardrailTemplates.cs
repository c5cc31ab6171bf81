namespace ModelOps.Core.Rollouts.Plans;

/// <summary>
/// Sensible guardrails to start a plan from, after the seeds' runbook: p95 latency at most +30 %
/// over the baseline (recent window 5 min), error rate never above 5 % (3 min), KPI at most 2 %
/// below the baseline, judged with significance (15 min); each must hold its breach for 10 s.
/// </summary>
public static class GuardrailTemplates
{
    public static IReadOnlyList<GuardrailRequest> Default { get; } =
    [
        new("latency_p95", Threshold: 0.30, Limit: null, WindowSeconds: 300, SustainSeconds: 10, Severity: "hard", MinSamples: null, MetricName: null, AttributionSeconds: null, Feature: null, Alpha: null),
        new("error_rate", Threshold: null, Limit: 0.05, WindowSeconds: 180, SustainSeconds: 10, Severity: "hard", MinSamples: null, MetricName: null, AttributionSeconds: null, Feature: null, Alpha: null),
        new("kpi", Threshold: 0.02, Limit: null, WindowSeconds: 900, SustainSeconds: 10, Severity: "soft", MinSamples: null, MetricName: null, AttributionSeconds: 60, Feature: null, Alpha: null),
    ];

    /// <summary>
    /// A guardrail of each metric an operator may add by hand, with defaults <see cref="GuardrailParser"/> accepts
    /// as they are. Not offered: <c>srm</c> (always on), <c>null_rate</c> and <c>drift_psi</c> (they need a feature).
    /// p99 gets more room than p95 (+50 %) as its tail is noisier; timeouts never above 2 %; offline auc may
    /// drop at most 0.01 against the rollback target; a score PSI past 0.2 is the usual "significant shift".
    /// </summary>
    public static IReadOnlyList<GuardrailRequest> Addable { get; } =
    [
        Default[0],
        new("latency_p99", Threshold: 0.50, Limit: null, WindowSeconds: 300, SustainSeconds: 10, Severity: "hard", MinSamples: null, MetricName: null, AttributionSeconds: null, Feature: null, Alpha: null),
        Default[1],
        new("timeout_rate", Threshold: null, Limit: 0.02, WindowSeconds: 180, SustainSeconds: 10, Severity: "hard", MinSamples: null, MetricName: null, AttributionSeconds: null, Feature: null, Alpha: null),
        Default[2],
        new("offline", Threshold: 0.01, Limit: null, WindowSeconds: 300, SustainSeconds: 0, Severity: "hard", MinSamples: null, MetricName: "auc", AttributionSeconds: null, Feature: null, Alpha: null),
        new("score_psi", Threshold: null, Limit: 0.2, WindowSeconds: 600, SustainSeconds: 10, Severity: "soft", MinSamples: null, MetricName: null, AttributionSeconds: null, Feature: null, Alpha: null),
    ];
}
