using ModelOps.Core.Divergence;

namespace ModelOps.Tests.Divergence;

public sealed class DivergenceReporterTests
{
    private static readonly DecisionThreshold AtHalf = new(0.5, DecisionThreshold.Registered);

    [Fact]
    public void Build_PairsAcrossTheThreshold_CountsFlipsInBothDirections()
    {
        var pairs = new[] { Pair(0.4, 0.6), Pair(0.6, 0.4), Pair(0.6, 0.7), Pair(0.1, 0.2) };

        var report = DivergenceReporter.Build(pairs, AtHalf, minSegmentRows: 1);

        Assert.Equal((4, 2, 0.5, 1, 1), (report.Rows, report.Flips, report.FlipShare!.Value, report.Raised, report.Lowered));
    }

    [Fact]
    public void Build_ScoreExactlyAtTheThreshold_IsAPositiveDecision()
    {
        var report = DivergenceReporter.Build([Pair(0.49, 0.5)], AtHalf, minSegmentRows: 1);

        Assert.Equal((1, 1), (report.Flips, report.Raised));
    }

    [Fact]
    public void Build_DifferencesOneToHundredOne_QuantilesAndMeanOfCandidateMinusBaseline()
    {
        // Differences 0.001 .. 0.101: the median is the 51st, the mean is its midpoint.
        var pairs = Enumerable.Range(1, 101).Select(i => Pair(0.2, 0.2 + (i / 1000.0))).ToList();

        var quantiles = DivergenceReporter.Build(pairs, AtHalf, minSegmentRows: 1).DiffQuantiles!;

        Assert.Equal(0.051, quantiles.P50, 9);
        Assert.Equal(0.051, quantiles.Mean, 9);
        Assert.True(quantiles.P1 < quantiles.P5 && quantiles.P5 < quantiles.P25 && quantiles.P25 < quantiles.P50);
        Assert.True(quantiles.P50 < quantiles.P75 && quantiles.P75 < quantiles.P95 && quantiles.P95 < quantiles.P99);
        Assert.InRange(quantiles.P99, 0.1, 0.101);
    }

    [Fact]
    public void Build_Differences_LandInTheirFixedBinsWithTheExtremesInTheEndBins()
    {
        var pairs = new[] { Pair(0.5, 0.5), Pair(0.5, 0.52), Pair(1.0, 0.0), Pair(0.0, 1.0) };

        var histogram = DivergenceReporter.Build(pairs, AtHalf, minSegmentRows: 1).Histogram!;

        Assert.Equal(DivergenceReporter.HistogramBins, histogram.Counts.Count);
        Assert.Equal(2, histogram.Counts[20]);
        Assert.Equal(1, histogram.Counts[0]);
        Assert.Equal(1, histogram.Counts[^1]);
        Assert.Equal((0, 0), (histogram.Below, histogram.Above));
    }

    [Fact]
    public void Build_PerSegment_FlipShareOfEachSegmentAndSmallSegmentsMarked()
    {
        var night = new Segment(Segment.HourOfDay, "02");
        var day = new Segment(Segment.HourOfDay, "12");
        var pairs = Enumerable.Repeat(Pair(0.1, 0.9, night), 3)
            .Concat(Enumerable.Repeat(Pair(0.1, 0.2, day), 40))
            .Append(Pair(0.1, 0.9, day))
            .ToList();

        var report = DivergenceReporter.Build(pairs, AtHalf, minSegmentRows: 30);

        var bySegment = report.BySegment.ToDictionary(s => s.Segment);
        Assert.Equal((3, 1.0, false), (bySegment["hourOfDay=02"].Rows, bySegment["hourOfDay=02"].FlipShare, bySegment["hourOfDay=02"].EnoughRows));
        Assert.Equal((41, 1 / 41.0, true), (bySegment["hourOfDay=12"].Rows, bySegment["hourOfDay=12"].FlipShare, bySegment["hourOfDay=12"].EnoughRows));
        Assert.Equal(4 / 44.0, report.FlipShare!.Value, 12);
    }

    [Fact]
    public void Build_NoRegisteredThreshold_SaysTheDefaultWasUsed()
    {
        var report = DivergenceReporter.Build([Pair(0.4, 0.6)], DecisionThreshold.Of(null, null), minSegmentRows: 1);

        Assert.Equal((DecisionThreshold.Default, DecisionThreshold.Fallback), (report.DecisionThreshold, report.ThresholdSource));
        Assert.Contains("default", report.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoPairs_HasNoFlipShareRatherThanZero()
    {
        var report = DivergenceReporter.Build([], AtHalf, minSegmentRows: 1);

        Assert.Equal((0, null), (report.Rows, report.FlipShare));
        Assert.Empty(report.BySegment);
    }

    [Theory]
    [InlineData(null, 0.3, 0.3, DecisionThreshold.Registered)]
    [InlineData(0.12, 0.3, 0.12, DecisionThreshold.Registered)]
    [InlineData(null, null, DecisionThreshold.Default, DecisionThreshold.Fallback)]
    public void DecisionThreshold_FirstRegisteredWins_ElseTheDefault(double? candidate, double? target, double expected, string source)
    {
        Assert.Equal(new DecisionThreshold(expected, source), DecisionThreshold.Of(candidate, target));
    }

    private static DivergencePair Pair(double baseline, double candidate, params Segment[] segments) => new(baseline, candidate, segments);
}
