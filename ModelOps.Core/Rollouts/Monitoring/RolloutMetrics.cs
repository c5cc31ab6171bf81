using ModelOps.Core.Rollouts.Stability;

namespace ModelOps.Core.Rollouts.Monitoring;

/// <summary>
/// What one <c>/metrics</c> scrape shows about rollouts, read by <see cref="RolloutMetricsQuery"/>.
/// <see cref="ChronicallyFailing"/> has one entry per model ever rolled back: its flag, or null.
/// </summary>
public sealed record RolloutMetrics(
    IReadOnlyList<RolloutStateSample> States,
    IReadOnlyList<GuardrailStatusSample> Guardrails,
    IReadOnlyList<RollbackCount> Rollbacks,
    RestoreHistogram DecisionToRestore,
    RestoreHistogram DetectionToRestore,
    IReadOnlyList<(string Model, ChronicFailure? Flag)> ChronicallyFailing);
