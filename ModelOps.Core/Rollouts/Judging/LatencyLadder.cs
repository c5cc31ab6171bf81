using System.Collections.Immutable;

namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// A latency quantile test's per-step state. Until <see cref="Cut"/> is set the baseline's raw
/// samples are buffered to estimate its quantile q̃ once (warm-up) and the candidate's are held
/// back; afterwards only counts are kept: baseline samples above q̃ (in the stratum's baseline
/// tally) and the candidate's samples binned by their ratio to q̃ on a log ladder centred on
/// 1 + threshold (rung k at (1 + θ)·e^(0.05·(k − 20)), k = 0..40). Bin b counts ratios above
/// b rungs, so the candidate's share above rung k is the sum of bins k + 1 and up.
/// </summary>
public sealed record LatencyLadder(
    double? Cut,
    ImmutableArray<double> BaselineWarmup,
    ImmutableArray<double> CandidateWarmup,
    ImmutableArray<long> CandidateBins)
{
    public const int Half = 20;
    public const int Rungs = (2 * Half) + 1;
    public const double Step = 0.05;

    public static LatencyLadder Empty { get; } = new(null, [], [], ImmutableArray.Create(new long[Rungs + 1]));

    /// <summary>The ratio to the baseline quantile at rung k (k = Half is 1 + threshold).</summary>
    public static double RatioAt(int rung, double threshold) => (1 + threshold) * Math.Exp(Step * (rung - Half));

    /// <summary>How many rungs lie strictly below the ratio latency / cut.</summary>
    public static int BinOf(double latencyMs, double cut, double threshold)
    {
        var steps = (Math.Log(latencyMs / cut) - Math.Log(1 + threshold)) / Step;
        if (double.IsNaN(steps) || steps <= -Half)
        {
            return 0;
        }

        return steps > Half ? Rungs : (int)Math.Ceiling(steps) + Half;
    }
}
