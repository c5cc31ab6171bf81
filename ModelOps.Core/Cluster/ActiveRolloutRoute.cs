namespace ModelOps.Core.Cluster;

/// <summary>
/// What a replica remembers of one active rollout for the degraded mode: which version is the
/// candidate and which the rollback target (the last stable configuration). Read from the database
/// while it is reachable, so it is known when the database is not.
/// </summary>
public sealed record ActiveRolloutRoute(string RolloutId, string Model, int CandidateVersion, int RollbackTarget);
