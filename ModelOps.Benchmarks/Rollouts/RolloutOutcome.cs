using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>One simulated rollout's results per method, and which hard guardrail rolled the judge back first.</summary>
public sealed record RolloutOutcome(IReadOnlyDictionary<DecisionMethod, MethodResult> Methods, GuardrailMetric? JudgeRolledBackBy);
