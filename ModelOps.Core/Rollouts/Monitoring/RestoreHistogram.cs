namespace ModelOps.Core.Rollouts.Monitoring;

/// <summary>
/// A cumulative histogram of restore durations over rolled-back rollouts: <see cref="Buckets"/>[i]
/// counts the durations at most <see cref="BoundsSeconds"/>[i]; <see cref="Count"/> is every
/// rollout with a duration recorded (the <c>+Inf</c> bucket), <see cref="SumSeconds"/> their total.
/// </summary>
public sealed record RestoreHistogram(IReadOnlyList<long> Buckets, long Count, double SumSeconds)
{
    /// <summary>
    /// Upper bounds in seconds. A decision is restored by one routing swap (well under a second),
    /// or by a staged rollback's holds (minutes); detection adds the sustain time (10 s by default)
    /// and the evaluation interval, so the ladder spans 50 ms to 15 min.
    /// </summary>
    public static IReadOnlyList<double> BoundsSeconds { get; } = [0.05, 0.25, 1, 5, 15, 30, 60, 300, 900];

    public static RestoreHistogram Empty { get; } = new([.. BoundsSeconds.Select(_ => 0L)], 0, 0);
}
