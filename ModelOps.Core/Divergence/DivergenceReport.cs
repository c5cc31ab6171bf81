namespace ModelOps.Core.Divergence;

/// <summary>
/// How two versions' scores of the same requests differ: quantiles and a histogram of the score
/// difference (candidate − baseline), and the share of flipped decisions at
/// <see cref="DecisionThreshold"/>, overall and per segment (<see cref="BySegment"/>, ordered by
/// dimension then value). <see cref="FlipShare"/> is null when there were no rows.
/// </summary>
public sealed record DivergenceReport(
    int Rows,
    double DecisionThreshold,
    string ThresholdSource,
    string? Note,
    int Flips,
    double? FlipShare,
    int Raised,
    int Lowered,
    DiffQuantiles? DiffQuantiles,
    DiffHistogram? Histogram,
    int MinSegmentRows,
    IReadOnlyList<SegmentDivergence> BySegment)
{
    /// <summary>When a stored report (a shadow rollout's) was computed; null for one computed on the spot.</summary>
    public DateTimeOffset? ComputedAt { get; init; }
}
