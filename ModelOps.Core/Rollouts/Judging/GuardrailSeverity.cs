namespace ModelOps.Core.Rollouts.Judging;

/// <summary>A hard guardrail's sustained failure rolls the rollout back; a soft one raises an approval.</summary>
public enum GuardrailSeverity
{
    Hard,
    Soft,
}
