using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Tests.Rollouts.Judging;

/// <summary>Known values of the mixture SPRT, reproducible by hand (normal mixture, σ = 1, τ² = 1).</summary>
public sealed class MixtureSprtTests
{
    // Observations of a unit-variance normal; after n of them the mean has variance 1/n.
    private static readonly double[] Sequence = [0.5, 1.2, -0.3, 0.8, 1.5, 0.9, 1.1, 0.7];

    [Fact]
    public void TwoSidedPValue_FixedSequence_MatchesHandComputedRunningMinimum()
    {
        var p = RunningMinimum((mean, variance) => MixtureSprt.LogTwoSidedRatio(mean, variance, 1));

        // Λ₈ = sqrt(V/(V+1))·exp(x̄²/(2V(V+1))) with x̄ = 0.8, V = 1/8: 3.24444; p = 1/Λ₈.
        Assert.Equal(0.30821944471, p, 10);
    }

    [Fact]
    public void OneSidedPValue_FixedSequence_MatchesHandComputedRunningMinimum()
    {
        var p = RunningMinimum((mean, variance) => MixtureSprt.LogOneSidedRatio(mean, variance, 1));

        // Λ⁺₈ = 2·Λ₈·Φ(x̄/sqrt(V(V+1))) = 6.38215.
        Assert.Equal(0.15668701948, p, 10);
    }

    [Fact]
    public void TwoSidedHalfWidth_UnitVarianceAndMixture_MatchesClosedForm()
    {
        // sqrt(v(v+τ²)/τ² · (2 ln(1/α) + ln((v+τ²)/v))) = sqrt(2 · (2 ln 20 + ln 2)).
        Assert.Equal(3.6563948714, MixtureSprt.TwoSidedHalfWidth(1, 1, 0.05), 9);
    }

    [Theory]
    [InlineData(1e-4, 1e-4, 0.001)]
    [InlineData(1e-6, 1e-2, 0.01)]
    [InlineData(0.5, 0.01, 0.05)]
    public void OneSidedHalfWidth_AnyScale_IsWhereTheRatioReachesOneOverAlpha(double variance, double tau2, double alpha)
    {
        var half = MixtureSprt.OneSidedHalfWidth(variance, tau2, alpha);

        Assert.Equal(Math.Log(1 / alpha), MixtureSprt.LogOneSidedRatio(half, variance, tau2), 6);
    }

    [Fact]
    public void PValue_NoVariance_IsOneNotNaN()
    {
        Assert.Equal(1, MixtureSprt.PValue(MixtureSprt.LogOneSidedRatio(0.1, 0, 1)));
        Assert.Equal(double.PositiveInfinity, MixtureSprt.OneSidedHalfWidth(0, 1, 0.01));
    }

    private static double RunningMinimum(Func<double, double, double> logRatio)
    {
        double sum = 0, p = 1;
        for (var n = 1; n <= Sequence.Length; n++)
        {
            sum += Sequence[n - 1];
            p = Math.Min(p, MixtureSprt.PValue(logRatio(sum / n, 1.0 / n)));
        }

        return p;
    }
}
