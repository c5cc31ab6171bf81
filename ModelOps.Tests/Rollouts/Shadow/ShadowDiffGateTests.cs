using ModelOps.Core.Divergence;
using ModelOps.Core.Rollouts.Shadow;

namespace ModelOps.Tests.Rollouts.Shadow;

public sealed class ShadowDiffGateTests
{
    private static readonly Segment Night = new(Segment.HourOfDay, "02");
    private static readonly Segment Day = new(Segment.HourOfDay, "12");

    [Fact]
    public void Judge_SegmentAboveMaxDiff_RefusesNamingTheWorstSegmentAndItsShare()
    {
        var report = Report(nightFlips: 20, nightRows: 40, dayFlips: 1, dayRows: 100);

        var verdict = ShadowDiffGate.Judge(report, maxDiff: 0.1);

        Assert.False(verdict.Allowed);
        Assert.Equal("hourOfDay=02", verdict.Worst!.Segment);
        Assert.Contains("hourOfDay=02", verdict.Reason, StringComparison.Ordinal);
        Assert.Contains("50.0%", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_EverySegmentWithinMaxDiff_Allows()
    {
        var verdict = ShadowDiffGate.Judge(Report(nightFlips: 2, nightRows: 40, dayFlips: 1, dayRows: 100), maxDiff: 0.1);

        Assert.True(verdict.Allowed);
        Assert.Equal("hourOfDay=02", verdict.Worst!.Segment);
    }

    [Fact]
    public void Judge_DivergentSegmentWithTooFewSamples_DoesNotHoldTheRolloutBack()
    {
        var verdict = ShadowDiffGate.Judge(Report(nightFlips: 5, nightRows: 5, dayFlips: 0, dayRows: 100), maxDiff: 0.1);

        Assert.True(verdict.Allowed);
    }

    [Fact]
    public void Judge_NoMaxDiffInThePlan_Allows()
    {
        Assert.True(ShadowDiffGate.Judge(Report(nightFlips: 40, nightRows: 40, dayFlips: 0, dayRows: 100), maxDiff: null).Allowed);
    }

    private static DivergenceReport Report(int nightFlips, int nightRows, int dayFlips, int dayRows)
    {
        var pairs = Pairs(Night, nightFlips, nightRows).Concat(Pairs(Day, dayFlips, dayRows)).ToList();
        return DivergenceReporter.Build(pairs, new DecisionThreshold(0.5, DecisionThreshold.Registered), minSegmentRows: 30);
    }

    private static IEnumerable<DivergencePair> Pairs(Segment segment, int flips, int rows) =>
        Enumerable.Range(0, rows).Select(i => new DivergencePair(0.1, i < flips ? 0.9 : 0.2, [segment]));
}
