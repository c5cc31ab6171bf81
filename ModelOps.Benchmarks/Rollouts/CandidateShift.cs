namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// How the simulated candidate differs from the baseline: every latency scaled, a share of
/// requests slowed by a factor (tail-only), absolute error/timeout increases, the click-through
/// multiplied, and a share of the candidate's requests falling back to the baseline (which then
/// serves and counts them: a sample-ratio mismatch and nothing else). <see cref="KpiInOneSegment"/>: the
/// click-through is multiplied in segment s0 only (one of <see cref="SimulatedWorld.Segments"/>).
/// </summary>
public sealed record CandidateShift(
    double LatencyScale = 1,
    double TailShare = 0,
    double TailFactor = 1,
    double ErrorIncrease = 0,
    double TimeoutIncrease = 0,
    double KpiFactor = 1,
    double NullIncrease = 0,
    double FallbackShare = 0,
    bool KpiInOneSegment = false)
{
    public static CandidateShift Identical { get; } = new();
}
