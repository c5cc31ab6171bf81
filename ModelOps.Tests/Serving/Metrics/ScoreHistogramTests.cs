using ModelOps.Inference.Serving.Metrics;

namespace ModelOps.Tests.Serving.Metrics;

/// <summary>The fixed score bins score_psi compares: 20 equal bins over [0, 1], out-of-range scores in the end bins, NaN not counted.</summary>
public sealed class ScoreHistogramTests
{
    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.049, 0)]
    [InlineData(0.05, 1)]
    [InlineData(0.5, 10)]
    [InlineData(0.999, 19)]
    [InlineData(1.0, 19)]
    [InlineData(-3.0, 0)]
    [InlineData(7.5, 19)]
    public void Bin_PutsAScoreInItsTwentiethOfTheUnitInterval(double score, int bin) => Assert.Equal(bin, ScoreHistogram.Bin(score));

    [Fact]
    public void Bin_NaN_IsNotCounted() => Assert.Null(ScoreHistogram.Bin(double.NaN));
}
