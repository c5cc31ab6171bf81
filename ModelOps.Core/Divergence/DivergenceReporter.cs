using MathNet.Numerics.Statistics;

namespace ModelOps.Core.Divergence;

/// <summary>
/// Turns score pairs into a <see cref="DivergenceReport"/>. Pure: no clock, no I/O. A decision
/// is positive when the score reaches the threshold (the simulator shows an ad at score ≥
/// threshold), so a pair flips when exactly one of its two scores reaches it. Quantiles are
/// MathNet's (R-8, median-unbiased; exact on the sorted sample), over candidate − baseline.
/// </summary>
public static class DivergenceReporter
{
    /// <summary>Scores are probabilities, so a difference lies in [−1, 1]: 40 bins of 0.05.</summary>
    public const double HistogramFrom = -1.0;
    public const double HistogramBinWidth = 0.05;
    public const int HistogramBins = 40;

    public static DivergenceReport Build(IReadOnlyList<DivergencePair> pairs, DecisionThreshold threshold, int minSegmentRows, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(threshold);
        var overall = new Accumulator();
        var segments = new Dictionary<Segment, Accumulator>();
        foreach (var pair in pairs)
        {
            var flip = IsPositive(pair.Baseline, threshold.Value) != IsPositive(pair.Candidate, threshold.Value);
            overall.Add(pair, flip, threshold.Value);
            foreach (var segment in pair.Segments)
            {
                if (!segments.TryGetValue(segment, out var accumulator))
                {
                    segments[segment] = accumulator = new Accumulator();
                }

                accumulator.Add(pair, flip, threshold.Value);
            }
        }

        var notes = threshold.Source == DecisionThreshold.Fallback
            ? $"No decisionThreshold is registered on either version; flips are counted at the default {DecisionThreshold.Default}."
            : null;
        var bySegment = segments
            .OrderBy(s => s.Key.Dimension, StringComparer.Ordinal).ThenBy(s => s.Key.Value, StringComparer.Ordinal)
            .Select(s => new SegmentDivergence(
                s.Key.ToString(), s.Key.Dimension, s.Key.Value, s.Value.Rows, s.Value.Rows >= minSegmentRows,
                s.Value.Flips, s.Value.FlipShare, Quantiles(s.Value.Diffs), Histogram(s.Value.Diffs)))
            .ToList();
        return new DivergenceReport(
            overall.Rows,
            threshold.Value,
            threshold.Source,
            string.Join(" ", new[] { notes, note }.Where(n => n is not null)) is { Length: > 0 } joined ? joined : null,
            overall.Flips,
            overall.Rows == 0 ? null : overall.FlipShare,
            overall.Raised,
            overall.Lowered,
            overall.Rows == 0 ? null : Quantiles(overall.Diffs),
            overall.Rows == 0 ? null : Histogram(overall.Diffs),
            minSegmentRows,
            bySegment);
    }

    public static bool IsPositive(double score, double threshold) => score >= threshold;

    private static DiffQuantiles Quantiles(List<double> diffs)
    {
        var sorted = diffs.ToArray();
        Array.Sort(sorted);
        return new DiffQuantiles(
            Q(sorted, 0.01), Q(sorted, 0.05), Q(sorted, 0.25), Q(sorted, 0.50), Q(sorted, 0.75), Q(sorted, 0.95), Q(sorted, 0.99),
            sorted.Length == 0 ? 0 : sorted.Mean());
    }

    private static double Q(double[] sorted, double tau) => sorted.Length == 0 ? 0 : SortedArrayStatistics.Quantile(sorted, tau);

    private static DiffHistogram Histogram(List<double> diffs)
    {
        var counts = new int[HistogramBins];
        int below = 0, above = 0;
        foreach (var diff in diffs)
        {
            var bin = (int)Math.Floor((diff - HistogramFrom) / HistogramBinWidth);
            if (bin < 0)
            {
                below++;
            }
            else if (bin > HistogramBins || (bin == HistogramBins && diff > -HistogramFrom))
            {
                above++;
            }
            else
            {
                // The top edge (a difference of exactly +1) belongs to the last bin.
                counts[Math.Min(bin, HistogramBins - 1)]++;
            }
        }

        return new DiffHistogram(HistogramFrom, HistogramBinWidth, counts, below, above);
    }

    private sealed class Accumulator
    {
        public List<double> Diffs { get; } = [];

        public int Flips { get; private set; }

        public int Raised { get; private set; }

        public int Lowered { get; private set; }

        public int Rows => Diffs.Count;

        public double FlipShare => Rows == 0 ? 0 : (double)Flips / Rows;

        public void Add(DivergencePair pair, bool flip, double threshold)
        {
            Diffs.Add(pair.Candidate - pair.Baseline);
            if (!flip)
            {
                return;
            }

            Flips++;
            if (IsPositive(pair.Candidate, threshold))
            {
                Raised++;
            }
            else
            {
                Lowered++;
            }
        }
    }
}
