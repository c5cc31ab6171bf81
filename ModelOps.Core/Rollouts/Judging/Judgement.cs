namespace ModelOps.Core.Rollouts.Judging;

/// <summary>The judge's output: the guardrail's state to keep for the next look, and the verdict.</summary>
public sealed record Judgement(GuardrailState State, Verdict Verdict);
