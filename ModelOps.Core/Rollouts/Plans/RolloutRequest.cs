namespace ModelOps.Core.Rollouts.Plans;

/// <summary>
/// The body of <c>POST /api/rollouts</c> and <c>POST /api/rollouts/preflight</c>, exactly as the
/// contract names its fields. Everything is optional here so that a missing field is answered
/// with a 400 naming it (<see cref="RolloutPlanner"/>), not a binding failure.
/// </summary>
public sealed record RolloutRequest(
    string? Model,
    int? CandidateVersion,
    string? Strategy,
    IReadOnlyList<StepRequest>? Steps,
    IReadOnlyList<GuardrailRequest>? Guardrails,
    int? ProgressDeadlineSeconds,
    int? RollbackTarget,
    string? Owner,
    VerificationRequest? Verification,
    RollbackRequest? Rollback,
    int? ApprovalTimeoutSeconds,
    ShadowRequest? Shadow);
