namespace ModelOps.Core.Rollouts.Judging;

/// <summary>What a guardrail measures (api-contract.md, Rollouts). <c>offline_auc</c> maps to <see cref="Offline"/> with metric name <c>auc</c>.</summary>
public enum GuardrailMetric
{
    LatencyP95,
    LatencyP99,
    ErrorRate,
    TimeoutRate,
    Kpi,
    NullRate,
    ScorePsi,
    DriftPsi,
    Offline,

    /// <summary>Sample-ratio mismatch: always on and hard, whatever the plan says.</summary>
    Srm,
}
