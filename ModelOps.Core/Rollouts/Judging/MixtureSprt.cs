using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// The mixture sequential probability ratio test for a normal estimate (Johari, Pekelis &amp; Walsh,
/// "Always Valid Inference", 2017). An estimate x of an effect (its null boundary moved to 0) with
/// variance v, and a normal mixing distribution of scale τ over alternatives, give a likelihood
/// ratio Λ that is a martingale under the null, so by Ville's inequality P(ever Λ ≥ 1/α) ≤ α
/// however often it is looked at and without a planned sample size.
/// One-sided (harm only): the mixture is the half-normal on harmful effects,
/// Λ⁺ = 2·sqrt(v/(v+τ²))·exp(τ²x²/(2v(v+τ²)))·Φ(τx/sqrt(v(v+τ²))).
/// Two-sided (SRM): the full normal mixture, Λ = sqrt(v/(v+τ²))·exp(τ²x²/(2v(v+τ²))).
/// </summary>
public static class MixtureSprt
{
    /// <summary>ln Λ⁺ for the harmful-direction estimate x (x &gt; 0 is harm beyond the bound).</summary>
    public static double LogOneSidedRatio(double x, double variance, double tau2)
    {
        if (!(variance > 0) || !(tau2 > 0) || double.IsNaN(x))
        {
            return double.NegativeInfinity;
        }

        var total = variance + tau2;
        var logNormal = (0.5 * Math.Log(variance / total)) + (tau2 * x * x / (2 * variance * total));
        var z = Math.Sqrt(tau2 / (variance * total)) * x;
        return Math.Log(2) + logNormal + LogPhi(z);
    }

    /// <summary>ln Λ of the two-sided normal mixture.</summary>
    public static double LogTwoSidedRatio(double x, double variance, double tau2)
    {
        if (!(variance > 0) || !(tau2 > 0) || double.IsNaN(x))
        {
            return double.NegativeInfinity;
        }

        var total = variance + tau2;
        return (0.5 * Math.Log(variance / total)) + (tau2 * x * x / (2 * variance * total));
    }

    /// <summary>min(1, 1/Λ): the always-valid p-value of this look (callers keep the running minimum).</summary>
    public static double PValue(double logRatio) => logRatio <= 0 ? 1 : Math.Exp(-logRatio);

    /// <summary>
    /// Half-width h of the one-sided confidence sequence: the bound b for which Λ⁺(estimate − b) = 1/α.
    /// Each side of estimate ± h holds at level 1 − α at every look; the harmful side decides.
    /// Solved in u = x/sqrt(v) by Newton's method from the Gaussian-only root (Φ ≈ 1 near the boundary).
    /// </summary>
    public static double OneSidedHalfWidth(double variance, double tau2, double alpha)
    {
        if (!(variance > 0) || !(tau2 > 0))
        {
            return double.PositiveInfinity;
        }

        var rho = tau2 / variance;
        var c = Math.Sqrt(rho / (1 + rho));
        var target = Math.Log(1 / alpha) - Math.Log(2) + (0.5 * Math.Log(1 + rho));
        var u = Math.Sqrt(Math.Max(2 * (1 + rho) / rho * target, 1e-6));
        for (var i = 0; i < 8; i++)
        {
            var f = (rho * u * u / (2 * (1 + rho))) + LogPhi(c * u) - target;
            var slope = (rho * u / (1 + rho)) + (c * Math.Exp(Normal.PDFLn(0, 1, c * u) - LogPhi(c * u)));
            var next = u - (f / slope);
            if (Math.Abs(next - u) < 1e-10)
            {
                u = next;
                break;
            }

            u = Math.Max(next, 1e-6);
        }

        return u * Math.Sqrt(variance);
    }

    /// <summary>Half-width of the two-sided (1 − α) confidence sequence: sqrt(v(v+τ²)/τ² · (2 ln(1/α) + ln((v+τ²)/v))).</summary>
    public static double TwoSidedHalfWidth(double variance, double tau2, double alpha)
    {
        if (!(variance > 0) || !(tau2 > 0))
        {
            return double.PositiveInfinity;
        }

        var total = variance + tau2;
        return Math.Sqrt(variance * total / tau2 * ((2 * Math.Log(1 / alpha)) + Math.Log(total / variance)));
    }

    /// <summary>
    /// Fixed-sample size per unit of the candidate arm to see an excess of τ beyond the bound with
    /// 80 % power at one-sided level α: (z₁₋α + z₀.₈)² · varianceTimesN / τ².
    /// </summary>
    public static double FixedSampleSize(double varianceTimesN, double tau2, double alpha) =>
        Math.Pow(Normal.InvCDF(0, 1, 1 - alpha) + Normal.InvCDF(0, 1, 0.8), 2) * varianceTimesN / tau2;

    /// <summary>ln Φ(z) through erfc, which keeps precision in the lower tail where 1 − Φ would round.</summary>
    private static double LogPhi(double z) => Math.Log(0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2)));
}
