using System.Globalization;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// A rollout as the contract shows it. <see cref="Weights"/> is the live split (version →
/// percent) while the rollout owns the traffic; <see cref="Guardrails"/> the judge's latest
/// verdicts (every <c>ModelOps:Gates:IntervalSeconds</c>). Approvals are not built yet.
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
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string Owner,
    string StartedBy,
    string? EndReason,
    IReadOnlyList<GuardrailView> Guardrails,
    IReadOnlyList<object> Approvals,
    string? IncidentId)
{
    public static RolloutView From(Rollout rollout, RoutingTable? live, IReadOnlyList<GuardrailView>? guardrails = null) => new(
        rollout.Id,
        rollout.Model,
        rollout.CandidateVersion,
        rollout.BaselineVersion,
        char.ToLowerInvariant(rollout.Strategy[0]) + rollout.Strategy[1..],
        rollout.State,
        rollout.StepIndex,
        (live?.DefaultWeights ?? []).ToDictionary(w => w.Version.ToString(CultureInfo.InvariantCulture), w => w.Percent),
        rollout.StartedAt,
        rollout.EndedAt,
        rollout.Owner,
        rollout.StartedBy,
        rollout.EndReason,
        guardrails ?? [],
        [],
        null);
}
