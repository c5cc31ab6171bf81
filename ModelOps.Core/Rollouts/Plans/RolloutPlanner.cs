using System.Globalization;
using ModelOps.Core.Common;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Rollouts.Plans;

/// <summary>
/// Turns a request into a <see cref="RolloutPlan"/> or says which field is wrong (400). Pure: the
/// champion (the default rollback target) is passed in. Sample-ratio mismatch is always added.
/// </summary>
public static class RolloutPlanner
{
    private const int DefaultBakeSeconds = 60;
    private const int DefaultVerificationSeconds = 300;
    private const int DefaultProgressDeadlineSeconds = 1_800;
    private const int DefaultApprovalTimeoutSeconds = 900;

    public static Result<RolloutPlan> Plan(RolloutRequest request, int? champion)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            return Error.Invalid("model", "\"model\" is missing: name the registered model to roll out, e.g. \"ctr-ranker\".");
        }

        if (request.CandidateVersion is not { } candidate || candidate < 1)
        {
            return Error.Invalid("candidateVersion", "\"candidateVersion\" is missing or below 1: name the registered version to roll out.");
        }

        if (string.IsNullOrWhiteSpace(request.Owner))
        {
            return Error.Invalid("owner", "\"owner\" is missing: name who owns this rollout (a person or team to page).");
        }

        if (request.Guardrails is not { Count: > 0 } guardrailRequests)
        {
            return Error.Invalid("guardrails", "\"guardrails\" is empty: a rollout needs at least one; start from GET /api/rollouts/templates/default.");
        }

        var target = request.RollbackTarget ?? champion;
        if (target is not { } rollbackTarget)
        {
            return Error.Invalid("rollbackTarget", $"\"rollbackTarget\" is missing and '{request.Model}' has no champion alias to default to: name the version to roll back to.");
        }

        if (rollbackTarget == candidate)
        {
            return Error.Invalid("rollbackTarget", $"The rollback target v{rollbackTarget} is the candidate itself; roll back to the version serving today.");
        }

        var strategy = ParseStrategy(request.Strategy);
        if (strategy is null)
        {
            return Error.Invalid("strategy", $"Strategy '{request.Strategy}' is not one of canary, blueGreen, shadow.");
        }

        var steps = Steps(request.Steps, strategy.Value);
        if (!steps.IsSuccess)
        {
            return steps.Error;
        }

        var guardrails = new List<GuardrailSpec>(guardrailRequests.Count + 1);
        for (var i = 0; i < guardrailRequests.Count; i++)
        {
            var guardrail = GuardrailParser.Parse(guardrailRequests[i], $"guardrails[{i}]");
            if (!guardrail.IsSuccess)
            {
                return guardrail.Error;
            }

            guardrails.Add(guardrail.Value);
        }

        // Sample-ratio mismatch is always on and hard, whatever the plan lists.
        if (guardrails.All(g => g.Metric != GuardrailMetric.Srm))
        {
            guardrails.Add(GuardrailSpec.SampleRatio());
        }
        var rollback = RollbackSteps(request.Rollback);
        if (!rollback.IsSuccess)
        {
            return rollback.Error;
        }

        if (request.Rollback?.OnSoftTrigger is not (null or "pause" or "stepDown"))
        {
            return Error.Invalid("rollback.onSoftTrigger", $"rollback.onSoftTrigger '{request.Rollback.OnSoftTrigger}' is not pause (hold the weight while an approver decides) or stepDown (go back one canary step meanwhile).");
        }

        var shadowShare = request.Shadow?.Share ?? (strategy == RolloutStrategy.Shadow ? 1.0 : 0.0);
        if (shadowShare is < 0 or > 1 || double.IsNaN(shadowShare))
        {
            return Error.Invalid("shadow.share", $"shadow.share {shadowShare} is outside 0..1 (the share of requests mirrored to the candidate).");
        }

        if (request.Shadow?.MaxDiff is { } maxDiff && !(maxDiff >= 0 && maxDiff <= 1))
        {
            return Error.Invalid("shadow.maxDiff", $"shadow.maxDiff {maxDiff.ToString(CultureInfo.InvariantCulture)} is outside [0, 1]: the largest share of flipped decisions allowed in any segment before advancing, e.g. 0.05.");
        }

        return new RolloutPlan(
            request.Model, candidate, strategy.Value, steps.Value, guardrails, rollbackTarget, request.Owner,
            Positive(request.Verification?.WithinSeconds, DefaultVerificationSeconds),
            rollback.Value.Staged, rollback.Value.Steps,
            Positive(request.ProgressDeadlineSeconds, DefaultProgressDeadlineSeconds),
            Positive(request.ApprovalTimeoutSeconds, DefaultApprovalTimeoutSeconds),
            shadowShare,
            request.Rollback?.OnSoftTrigger == "stepDown")
        {
            ShadowMaxDiff = request.Shadow?.MaxDiff,
        };
    }

    private static RolloutStrategy? ParseStrategy(string? strategy) => strategy switch
    {
        null or "canary" => RolloutStrategy.Canary,
        "blueGreen" => RolloutStrategy.BlueGreen,
        "shadow" => RolloutStrategy.Shadow,
        _ => null,
    };

    private static Result<IReadOnlyList<RolloutStep>> Steps(IReadOnlyList<StepRequest>? requested, RolloutStrategy strategy)
    {
        if (requested is not { Count: > 0 })
        {
            // Blue/green is one flip; a canary without steps would never reach its candidate.
            return strategy == RolloutStrategy.Canary
                ? Error.Invalid("steps", "A canary needs \"steps\", e.g. [{ \"weight\": 5, \"bakeSeconds\": 60 }, { \"weight\": 25, \"bakeSeconds\": 120 }, { \"weight\": 100, \"bakeSeconds\": 300 }].")
                : new List<RolloutStep> { new(100, DefaultBakeSeconds, []) };
        }

        var steps = new List<RolloutStep>(requested.Count);
        var previous = 0.0;
        for (var i = 0; i < requested.Count; i++)
        {
            var step = requested[i];
            if (step.Weight is not { } weight || !(weight > 0 && weight <= 100))
            {
                return Error.Invalid($"steps[{i}].weight", $"Step {i + 1}'s weight {Text(step.Weight)} is outside (0, 100]: the candidate's percent of traffic.");
            }

            var regions = step.Regions ?? [];
            if (weight < previous && regions.Count == 0)
            {
                return Error.Invalid($"steps[{i}].weight", $"Step {i + 1}'s weight {Text(weight)} is below the step before ({Text(previous)}); steps only go up (roll back to go down).");
            }

            if (step.BakeSeconds is < 0)
            {
                return Error.Invalid($"steps[{i}].bakeSeconds", $"Step {i + 1}'s bakeSeconds {step.BakeSeconds} is negative.");
            }

            steps.Add(new RolloutStep(weight, step.BakeSeconds ?? DefaultBakeSeconds, regions));
            previous = Math.Max(previous, weight);
        }

        return steps;
    }

    private static Result<(bool Staged, IReadOnlyList<RollbackStep> Steps)> RollbackSteps(RollbackRequest? rollback)
    {
        switch (rollback?.Mode)
        {
            case null or "instant":
                return (false, (IReadOnlyList<RollbackStep>)[]);
            case "staged":
                break;
            default:
                return Error.Invalid("rollback.mode", $"rollback.mode '{rollback.Mode}' is not instant or staged.");
        }

        if (rollback.Steps is not { Count: > 0 } requested)
        {
            return Error.Invalid("rollback.steps", "A staged rollback needs \"steps\", e.g. [{ \"weight\": 50, \"holdSeconds\": 30 }, { \"weight\": 25, \"holdSeconds\": 30 }, { \"weight\": 0, \"holdSeconds\": 0 }].");
        }

        var steps = new List<RollbackStep>(requested.Count);
        for (var i = 0; i < requested.Count; i++)
        {
            var weight = requested[i].Weight;
            if (weight is not { } w || w is < 0 or >= 100 || (steps.Count > 0 && w >= steps[^1].Weight))
            {
                return Error.Invalid($"rollback.steps[{i}].weight", $"Rollback step {i + 1}'s weight {Text(weight)} must be in [0, 100) and below the step before.");
            }

            steps.Add(new RollbackStep(w, Math.Max(0, requested[i].HoldSeconds ?? 0)));
        }

        return steps[^1].Weight == 0
            ? (true, steps)
            : Error.Invalid("rollback.steps", "A staged rollback must end at weight 0 (all traffic back on the target).");
    }

    private static int Positive(int? value, int fallback) => value is > 0 ? value.Value : fallback;

    private static string Text(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "(missing)";
}
