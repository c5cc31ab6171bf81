namespace ModelOps.Core.Divergence;

/// <summary>
/// The divergence within one segment. <see cref="EnoughRows"/> is false below the report's
/// minimum: its numbers are shown but too noisy to judge on (a gate ignores the segment).
/// </summary>
public sealed record SegmentDivergence(
    string Segment,
    string Dimension,
    string Value,
    int Rows,
    bool EnoughRows,
    int Flips,
    double FlipShare,
    DiffQuantiles DiffQuantiles,
    DiffHistogram Histogram);
