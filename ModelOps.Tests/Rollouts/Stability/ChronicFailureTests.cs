using ModelOps.Core.Rollouts.Stability;

namespace ModelOps.Tests.Rollouts.Stability;

/// <summary>The anti-flapping rule alone: how many rollbacks within the period flag a model.</summary>
public sealed class ChronicFailureTests
{
    private static readonly DateTimeOffset Earliest = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(3, 3, true)]
    [InlineData(4, 3, true)]
    [InlineData(2, 3, false)]
    [InlineData(0, 3, false)]
    [InlineData(2, 2, true)]
    public void Assess_RollbacksAgainstTheConfiguredCount_FlagsFromTheCountOn(int rollbacks, int threshold, bool flagged)
    {
        var flag = ChronicFailure.Assess("ctr-ranker", rollbacks, Earliest, new ChronicFailureOptions { Rollbacks = threshold, PeriodHours = 12 });

        Assert.Equal(flagged, flag is not null);
    }

    [Fact]
    public void Assess_Flagged_CarriesCountPeriodEarliestRollbackAndRollForwardAdvice()
    {
        var flag = ChronicFailure.Assess("ctr-ranker", 4, Earliest, new ChronicFailureOptions { PeriodHours = 12 });

        Assert.NotNull(flag);
        Assert.Equal((4, 12, Earliest), (flag.Rollbacks, flag.PeriodHours, flag.Since));
        Assert.Contains("ctr-ranker", flag.Advice, StringComparison.Ordinal);
        Assert.Contains("configuration", flag.Advice, StringComparison.Ordinal);
        Assert.Contains("feature toggle", flag.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_NoRollbackInThePeriod_NotFlaggedWhateverTheCount()
    {
        Assert.Null(ChronicFailure.Assess("ctr-ranker", 5, earliest: null, new ChronicFailureOptions()));
    }
}
