namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// One routing step's sufficient statistics. Effects are estimated within a step (same weights,
/// same hour of the world) and combined across steps, never pooled naively.
/// For sample-ratio mismatch the candidate tally counts all requests (N) and the candidate's (Sum).
/// </summary>
public sealed record Stratum(
    int Step,
    double Weight,
    DateTimeOffset StartedAt,
    ArmTally Baseline,
    ArmTally Candidate,
    LatencyLadder? Latency);
