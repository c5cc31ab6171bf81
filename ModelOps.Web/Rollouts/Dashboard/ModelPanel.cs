using ModelOps.Core.Rollouts.Stability;
using ModelOps.Web.Charts;

namespace ModelOps.Web.Rollouts.Dashboard;

/// <summary>
/// One model on the dashboard: its champion, the live split per region, its latest rollout (the
/// same <see cref="RolloutView"/> as GET /api/rollouts/{id}) with the step and the bake time left,
/// the guardrail board and the live charts. <see cref="Splits"/> lists "all regions" first.
/// </summary>
public sealed record ModelPanel(
    string Model,
    int? Champion,
    IReadOnlyList<TrafficSplit> Splits,
    RolloutView? Rollout,
    string? StepText,
    TimeSpan? BakeLeft,
    IReadOnlyList<GuardrailBoardRow> Board,
    IReadOnlyList<ChartMarker> Markers,
    ChronicFailure? ChronicallyFailing)
{
    /// <summary>Rendered by the feed (not by a circuit); empty until the first render.</summary>
    public IReadOnlyList<RolloutChart> Charts { get; init; } = [];

    public bool Active => Rollout is { } r && Core.Rollouts.RolloutStates.IsActive(r.State);
}
