using System.Globalization;
using System.Text.Json;
using ModelOps.Core.Divergence;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Rollouts.Stability;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// A rollout as the contract shows it. <see cref="Weights"/> is the live split (version →
/// percent) while the rollout owns the traffic; <see cref="Guardrails"/> the judge's verdicts as
/// stored at its latest evaluation (<see cref="EvaluatedAt"/>), the same numbers the console and
/// the incident show; <see cref="Approvals"/> every soft trigger raised on it, pending or decided;
/// <see cref="ChronicallyFailing"/> (on GET by id) when its model keeps being rolled back;
/// <see cref="ShadowDiff"/> (on GET by id, shadow strategy) the divergence of the mirrored pairs.
/// </summary>
public sealed record RolloutView(
    string Id,
    string Model,
    int CandidateVersion,
    int BaselineVersion,
    string Strategy,
    string State,
    int StepIndex,
    IReadOnlyDictionary<string, double> Weights,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? RegionWeights,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string Owner,
    string StartedBy,
    string? EndReason,
    string? Trigger,
    DateTimeOffset? EvaluatedAt,
    IReadOnlyList<GuardrailView> Guardrails,
    IReadOnlyList<ApprovalView> Approvals,
    string? IncidentId,
    int? RollbackStepIndex,
    DateTimeOffset? DecidedAt,
    double? DecisionToRestoreMs,
    double? DetectionToRestoreMs,
    ChronicFailure? ChronicallyFailing = null,
    DivergenceReport? ShadowDiff = null)
{
    public static RolloutView From(Rollout rollout, RoutingTable? live, IReadOnlyList<RolloutApproval>? approvals = null)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var plan = RolloutPlanJson.Read(rollout.PlanJson);
        var judged = JudgeRecord.Read(rollout.JudgeJson);
        var verdicts = judged?.Verdicts ?? [];
        var guardrails = plan is null || verdicts.Count != plan.Guardrails.Count
            ? []
            : plan.Guardrails.Zip(verdicts).Select(p => GuardrailView.From(p.First, p.Second)).ToList();
        if (plan is not null)
        {
            // A rollout judged per region also lists each open region's verdicts, with "region" set.
            guardrails.AddRange((judged?.Regions ?? []).Where(r => r.CandidateWeight > 0 && r.Verdicts.Count == plan.Guardrails.Count)
                .SelectMany(r => plan.Guardrails.Zip(r.Verdicts).Select(p => GuardrailView.From(p.First, p.Second, r.Region))));
        }
        return new(
            rollout.Id,
            rollout.Model,
            rollout.CandidateVersion,
            rollout.BaselineVersion,
            char.ToLowerInvariant(rollout.Strategy[0]) + rollout.Strategy[1..],
            rollout.State,
            rollout.StepIndex,
            Percentages(live?.DefaultWeights ?? []),
            live is null || live.RegionOverrides.Count == 0 ? null : live.RegionOverrides.ToDictionary(r => r.Key, r => Percentages(r.Value)),
            rollout.StartedAt,
            rollout.EndedAt,
            rollout.Owner,
            rollout.StartedBy,
            rollout.EndReason,
            rollout.Trigger,
            rollout.EvaluatedAt,
            guardrails,
            [.. (approvals ?? []).Select(ApprovalView.From)],
            rollout.IncidentId,
            rollout.RollbackStepIndex,
            rollout.DecidedAt,
            rollout.DecisionToRestoreMs,
            rollout.DetectionToRestoreMs);
    }

    private static IReadOnlyDictionary<string, double> Percentages(IEnumerable<RouteWeight> weights) =>
        weights.ToDictionary(w => w.Version.ToString(CultureInfo.InvariantCulture), w => w.Percent);
}

/// <summary>A soft trigger as shown: what raised it, the evidence, and who decided what.</summary>
public sealed record ApprovalView(
    string Id,
    string Kind,
    string Status,
    string Reason,
    JsonElement Evidence,
    string RaisedBy,
    DateTimeOffset RaisedAt,
    DateTimeOffset DueAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DecisionReason)
{
    public static ApprovalView From(RolloutApproval approval)
    {
        ArgumentNullException.ThrowIfNull(approval);
        using var evidence = JsonDocument.Parse(approval.EvidenceJson);
        return new(approval.Id, approval.Kind, approval.Status, approval.Reason, evidence.RootElement.Clone(), approval.RaisedBy,
            approval.RaisedAt, approval.DueAt, approval.DecidedBy, approval.DecidedAt, approval.DecisionReason);
    }
}
