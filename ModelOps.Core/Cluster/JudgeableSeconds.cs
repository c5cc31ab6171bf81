namespace ModelOps.Core.Cluster;

/// <summary>
/// The end (exclusive) of the seconds the judge may read across replicas, and who set it: the live
/// replicas (whose watermarks bound <see cref="To"/>) and the silent ones, left out so they do not stall judging.
/// </summary>
public sealed record JudgeableSeconds(DateTimeOffset To, IReadOnlyList<string> Live, IReadOnlyList<string> Silent);
