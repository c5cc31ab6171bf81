namespace ModelOps.Core.Divergence;

/// <summary>
/// Counts of candidate − baseline over fixed bins from <see cref="From"/> in steps of
/// <see cref="BinWidth"/> (fixed, so two reports compare bin by bin); differences outside the
/// range are counted in <see cref="Below"/> and <see cref="Above"/>.
/// </summary>
public sealed record DiffHistogram(double From, double BinWidth, IReadOnlyList<int> Counts, int Below, int Above);
