namespace ModelOps.Core.Rollouts.Judging;

/// <summary>A registered offline metric (e.g. auc) of the candidate and of the rollback target.</summary>
public sealed record OfflineScores(double Candidate, double Target);
