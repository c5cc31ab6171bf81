namespace ModelOps.Core.Rollouts.Judging;

/// <summary>Samples per arm (the unit depends on the metric: requests, latency samples, attributed outcomes).</summary>
public sealed record SampleCounts(long Baseline, long Candidate);
