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
}
