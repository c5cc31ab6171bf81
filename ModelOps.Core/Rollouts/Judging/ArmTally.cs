namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// Sufficient statistics of one arm: sample count, sum and sum of squares. For a rate the sum
/// is the event count (and equals the sum of squares); for latency it counts samples above the cut.
/// </summary>
public readonly record struct ArmTally(long N, double Sum, double SumSquares)
{
    public double Mean => N > 0 ? Sum / N : 0;

    /// <summary>Sample variance (n − 1), zero below two samples.</summary>
    public double Variance => N > 1 ? Math.Max(0, (SumSquares - (Sum * Sum / N)) / (N - 1)) : 0;

    /// <summary>
    /// Bernoulli variance of a rate smoothed towards ½ by half an event each side, so zero or all
    /// events in a small sample never claim certainty (a zero variance would make any gap "significant").
    /// </summary>
    public double SmoothedRateVariance
    {
        get
        {
            var p = (Sum + 0.5) / (N + 1);
            return p * (1 - p);
        }
    }

    public ArmTally Add(long n, double sum, double sumSquares) => new(N + n, Sum + sum, SumSquares + sumSquares);

    public ArmTally Add(ArmTally other) => new(N + other.N, Sum + other.Sum, SumSquares + other.SumSquares);
}
