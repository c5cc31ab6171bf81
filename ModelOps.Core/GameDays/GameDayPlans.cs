using ModelOps.Core.Common;
using ModelOps.Core.Rollouts.Plans;

namespace ModelOps.Core.GameDays;

/// <summary>
/// The plan a drill runs (pure): by default one 20 % canary step whose bake outlasts any drill (so
/// an undetected fault is never promoted; the drill ends the canary at its time-out), the default
/// guardrails with a tenth of their windows (at least 10 s) and at most 3 s of sustain, so a drill
/// takes a minute rather than a quarter of an hour, verification within 60 s and approvals timing
/// out after 120 s. Any field of <see cref="GameDayRequest.Plan"/> replaces the default's.
/// </summary>
public static class GameDayPlans
{
    public const string DefaultOwner = "game-day";
    public const double DefaultWeight = 20;
    public const int DefaultBakeSeconds = 86_400;

    public static IReadOnlyList<GuardrailRequest> DrillGuardrails { get; } =
        [.. GuardrailTemplates.Default.Select(g => g with
        {
            WindowSeconds = Math.Max(10, (g.WindowSeconds ?? 300) / 10),
            SustainSeconds = Math.Min(g.SustainSeconds ?? 10, 3),
        })];

    public static Result<RolloutPlan> Build(string model, int version, RolloutRequest? overrides, int? champion)
    {
        if (overrides?.Model is { } planModel && planModel != model)
        {
            return Error.Invalid("plan.model", $"plan.model '{planModel}' differs from model '{model}'; leave it out (the drill's model is the top-level one).");
        }

        if (overrides?.CandidateVersion is { } planVersion && planVersion != version)
        {
            return Error.Invalid("plan.candidateVersion", $"plan.candidateVersion {planVersion} differs from version {version}; leave it out (the drill's candidate is the top-level version).");
        }

        if (overrides?.RollbackTarget is null && champion == version)
        {
            return Error.Invalid("version", $"v{version} is the champion '{model}' serves today; a drill canaries another version against it.");
        }

        if (overrides?.Strategy == "shadow")
        {
            return Error.Invalid("plan.strategy", "A drill injects its fault into live traffic, which a shadow rollout never serves; use canary or blueGreen.");
        }

        var request = new RolloutRequest(
            model,
            version,
            overrides?.Strategy ?? "canary",
            overrides?.Steps ?? [new StepRequest(DefaultWeight, DefaultBakeSeconds, null)],
            overrides?.Guardrails ?? DrillGuardrails,
            overrides?.ProgressDeadlineSeconds,
            overrides?.RollbackTarget,
            overrides?.Owner ?? DefaultOwner,
            overrides?.Verification ?? new VerificationRequest(60),
            overrides?.Rollback,
            overrides?.ApprovalTimeoutSeconds ?? 120,
            null);
        var plan = RolloutPlanner.Plan(request, champion);
        return plan.IsSuccess ? plan : plan.Error with { Field = FieldOf(plan.Error.Field) };
    }

    /// <summary>The planner names rollout fields; a drill's body nests them under <c>plan</c>, except the two it takes from the top level.</summary>
    private static string? FieldOf(string? field) => field switch
    {
        null => null,
        "model" => "model",
        "candidateVersion" => "version",
        _ => $"plan.{field}",
    };
}
