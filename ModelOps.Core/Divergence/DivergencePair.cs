namespace ModelOps.Core.Divergence;

/// <summary>
/// One request scored twice: <see cref="Baseline"/> by the version users kept (the rollback target,
/// or the served baseline of a shadow rollout) and <see cref="Candidate"/> by the version under
/// review, with the segments the request belongs to.
/// </summary>
public sealed record DivergencePair(double Baseline, double Candidate, IReadOnlyList<Segment> Segments);
