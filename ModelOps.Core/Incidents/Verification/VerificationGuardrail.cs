using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Incidents.Verification;

/// <summary>A guardrail of the plan chosen for verification: its position in the plan, its spec, and whether it tripped at the rollback.</summary>
public sealed record VerificationGuardrail(int Index, GuardrailSpec Spec, bool Tripped);
