namespace ModelOps.Core.Rollouts.Monitoring;

/// <summary>
/// One guardrail's latest persisted verdict on an active rollout, for <c>modelops_rollout_guardrail_status</c>.
/// <see cref="Guardrail"/> is its 1-based position in the plan (two guardrails may share a metric,
/// e.g. null_rate on two features); <see cref="Feature"/> is set for per-feature guardrails.
/// </summary>
public sealed record GuardrailStatusSample(string RolloutId, string Model, int Guardrail, string Metric, string Severity, string Status, string? Feature);
