using System.Globalization;
using ModelOps.Core.Common;
using ModelOps.Core.Rollouts.Plans;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// The new-rollout wizard's fields, bound by the page. <see cref="Validate"/> names each field
/// that is missing or out of range before anything is sent; <see cref="ToRequest"/> builds the
/// same body <c>POST /api/rollouts</c> takes, so the planner and preflight judge it identically.
/// Field keys are the contract's names (<c>model</c>, <c>candidateVersion</c>, <c>owner</c>, ...),
/// so a planner error's field lands on the same input.
/// </summary>
public sealed class NewRolloutForm
{
    public string? Model { get; set; }

    public int? CandidateVersion { get; set; }

    public string Strategy { get; set; } = "canary";

    public string StepTemplate { get; set; } = Rollouts.StepTemplate.Gradual;

    public int BakeSeconds { get; set; } = 300;

    public double ShadowShare { get; set; } = 0.5;

    /// <summary>
    /// The guardrails, pre-filled from <see cref="GuardrailTemplates.Default"/> with the planner's defaults written out
    /// (<see cref="GuardrailDraft.From"/>); each may be edited or removed, more added (<see cref="AddGuardrail"/>).
    /// </summary>
    public List<GuardrailDraft> Guardrails { get; set; } = [.. GuardrailTemplates.Default.Select(GuardrailDraft.From)];

    /// <summary>Null: the version the champion alias points at.</summary>
    public int? RollbackTarget { get; set; }

    public string? Owner { get; set; }

    public int VerificationSeconds { get; set; } = 300;

    public string RollbackMode { get; set; } = "instant";

    /// <summary>A staged rollback's weights (%), comma-separated, e.g. <c>50, 25, 0</c>; the planner judges them as sent.</summary>
    public string StagedWeights { get; set; } = "50, 0";

    /// <summary>How long each staged weight holds before the next (the final weight, 0, ends the rollback).</summary>
    public int StagedHoldSeconds { get; set; } = 30;

    public static IReadOnlyList<string> Strategies { get; } = ["canary", "shadow", "blueGreen"];

    /// <summary>
    /// Each invalid field with what to fix; empty when the form may go to preflight. <paramref name="segments"/>:
    /// what the candidate's KPI may be segmented by (<see cref="SegmentCardinality.Choices"/>), null to leave it to the planner.
    /// </summary>
    public IReadOnlyDictionary<string, string> Validate(IReadOnlyList<string> regions, IReadOnlyList<SegmentChoice>? segments = null)
    {
        ArgumentNullException.ThrowIfNull(regions);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(Model))
        {
            errors["model"] = "Pick the model to roll out.";
        }

        if (CandidateVersion is not > 0)
        {
            errors["candidateVersion"] = "Pick the candidate version (a registered version).";
        }
        else if (CandidateVersion == RollbackTarget)
        {
            errors["rollbackTarget"] = $"The rollback target must differ from the candidate v{CandidateVersion}.";
        }

        if (!Strategies.Contains(Strategy))
        {
            errors["strategy"] = "Pick canary, shadow or blueGreen.";
        }

        if (!Rollouts.StepTemplate.For(Strategy, regions).Any(t => t.Key == StepTemplate))
        {
            errors["steps"] = "Pick a step template that fits the strategy.";
        }

        if (BakeSeconds < 0)
        {
            errors["bakeSeconds"] = "Bake time cannot be negative.";
        }

        if (Strategy == "shadow" && !(ShadowShare > 0 && ShadowShare <= 1))
        {
            errors["shadow.share"] = "The mirrored share must be in (0, 1], e.g. 0.5 mirrors half the requests.";
        }

        if (Guardrails.Count == 0)
        {
            errors["guardrails"] = "Keep at least one guardrail: a rollout without one could never be stopped automatically.";
        }

        for (var i = 0; i < Guardrails.Count; i++)
        {
            foreach (var (field, problem) in Guardrails[i].Problems($"guardrails[{i}]", segments))
            {
                errors[field] = problem;
            }
        }

        if (RollbackMode == "staged" && StagedHoldSeconds < 0)
        {
            errors["rollback.holdSeconds"] = "The hold per step cannot be negative, e.g. 30 s.";
        }

        if (string.IsNullOrWhiteSpace(Owner))
        {
            errors["owner"] = "Name the owner (a team or person who answers for this rollout).";
        }

        if (VerificationSeconds <= 0)
        {
            errors["verification.withinSeconds"] = "The verification window must be positive, e.g. 300 s.";
        }

        return errors;
    }

    public RolloutRequest ToRequest(IReadOnlyList<string> regions)
    {
        var template = Rollouts.StepTemplate.For(Strategy, regions).FirstOrDefault(t => t.Key == StepTemplate);
        return new RolloutRequest(
            Model,
            CandidateVersion,
            Strategy,
            template?.Steps(BakeSeconds),
            [.. Guardrails.Select(g => g.ToRequest())],
            null,
            RollbackTarget,
            Owner?.Trim(),
            new VerificationRequest(VerificationSeconds),
            RollbackMode == "staged" ? new RollbackRequest("staged", StagedSteps()) : new RollbackRequest("instant", null),
            null,
            Strategy == "shadow" ? new ShadowRequest(ShadowShare, null) : null);
    }

    /// <summary>Appends the <see cref="GuardrailTemplates.Addable"/> guardrail of <paramref name="metric"/>, editable like the others.</summary>
    public void AddGuardrail(string metric) => Guardrails.Add(GuardrailDraft.From(GuardrailTemplates.Addable.First(g => g.Metric == metric)));

    /// <summary>
    /// Edges as typed, e.g. <c>6, 12, 18</c>; null when blank. A token that is not a number stays in as NaN
    /// (<see cref="Validate"/> names it first; the form never drops it unseen, and the posted body differs).
    /// </summary>
    public static IReadOnlyList<double>? ParseEdges(string? text) =>
        Tokens(text) is { Count: > 0 } tokens ? [.. tokens.Select(t => Number(t) ?? double.NaN)] : null;

    public static string EdgesText(IReadOnlyList<double>? edges) =>
        edges is null ? string.Empty : string.Join(", ", edges.Select(e => e.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Each weight holds <see cref="StagedHoldSeconds"/> but the last; a token that is not a number is sent as a missing weight, which the planner names.</summary>
    private List<RollbackStepRequest> StagedSteps()
    {
        var weights = Tokens(StagedWeights);
        return [.. weights.Select((w, i) => new RollbackStepRequest(Number(w), i == weights.Count - 1 ? 0 : StagedHoldSeconds))];
    }

    internal static List<string> Tokens(string? text) =>
        [.. (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    internal static double? Number(string token) =>
        double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>A planner error mapped to the field it names (the whole form when it names none).</summary>
    public static KeyValuePair<string, string> FieldOf(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(error.Field ?? "form", error.Detail);
    }
}
