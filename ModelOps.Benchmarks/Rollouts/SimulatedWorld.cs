namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// The fixed world of issue 10: log-normal latencies with σ = 0.5 on the log scale, 1 % errors,
/// 5 % click-through with an exponential click delay of mean 30 s, 80 requests/s in all, and the
/// metrics store's cap of 64 latency samples per one-second bucket. Median latency, timeouts,
/// the feature's null share and the bins are this benchmark's own choices.
/// </summary>
public static class SimulatedWorld
{
    public const double RequestsPerSecond = 80;
    public const double LatencySigma = 0.5;
    public const double MedianLatencyMs = 40;
    public const double ErrorRate = 0.01;
    public const double TimeoutRate = 0.005;
    public const double ClickThrough = 0.05;
    public const double ClickDelayMeanSeconds = 30;
    public const int AttributionSeconds = 60;
    public const int SamplesPerBucket = 64;
    public const double NullRate = 0.01;

    /// <summary>Equiprobable bins for the feature and the score: identical models fill them alike.</summary>
    public const int Bins = 10;

    /// <summary>Equal segments of traffic (requests dealt round-robin, no randomness drawn), as a categorical encoder feature would split it.</summary>
    public const int Segments = 8;

    public const string SegmentFeature = "segment";

    public const int EvaluationSeconds = 2;
    public const int SustainSeconds = 10;

    /// <summary>A click counts only if it arrives inside the attribution window.</summary>
    public static double AttributedClickShare => 1 - Math.Exp(-AttributionSeconds / ClickDelayMeanSeconds);
}
