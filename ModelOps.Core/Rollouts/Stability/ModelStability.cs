namespace ModelOps.Core.Rollouts.Stability;

/// <summary>
/// A model's recent rollback record (<c>GET /api/models/{name}/stability</c>): rollbacks decided in
/// the last <see cref="PeriodHours"/>, the count that flags it, and the flag itself (null when not flagged).
/// </summary>
public sealed record ModelStability(string Model, int Rollbacks, int PeriodHours, int Threshold, ChronicFailure? ChronicallyFailing);
