using ModelOps.Core.Serving.Metrics;

namespace ModelOps.Inference.Serving.Metrics;

/// <summary>
/// One second of one series. Mutated only under its series' lock; recycled (reset) when the
/// ring wraps, so steady-state recording allocates nothing per second.
/// </summary>
internal sealed class MetricsBucket(int sampleCapacity)
{
    public long Second { get; private set; } = long.MinValue;

    public long Requests { get; private set; }

    public long Errors { get; private set; }

    public long Timeouts { get; private set; }

    public long Fallbacks { get; private set; }

    public double KpiSum { get; private set; }

    public long KpiCount { get; private set; }

    /// <summary>Sum of squared outcomes: with the sum and count, the KPI's variance (continuous outcomes).</summary>
    public double KpiSumSquares { get; private set; }

    public LatencyHistogram Latency { get; } = new();

    public List<double> Samples { get; } = new(sampleCapacity);

    public Dictionary<string, FeatureAccumulator> Features { get; } = new(StringComparer.Ordinal);

    /// <summary>Served scores of the second's answered requests on <see cref="ScoreHistogram"/>'s bins.</summary>
    public long[] ScoreBins { get; } = new long[ScoreHistogram.Bins];

    public void ResetTo(long second)
    {
        Second = second;
        Requests = Errors = Timeouts = Fallbacks = KpiCount = 0;
        KpiSum = KpiSumSquares = 0;
        Latency.Reset();
        Samples.Clear();
        Array.Clear(ScoreBins);
        foreach (var feature in Features.Values)
        {
            feature.Reset();
        }
    }

    /// <summary>Reservoir sampling (Vitter's algorithm R): every request of the second is equally likely to be kept.</summary>
    public void RecordRequest(double latencyMs, RequestStatus status, Random random)
    {
        Requests++;
        Errors += status == RequestStatus.Error ? 1 : 0;
        Timeouts += status == RequestStatus.Timeout ? 1 : 0;
        Fallbacks += status == RequestStatus.Fallback ? 1 : 0;
        Latency.RecordValue((long)Math.Round(latencyMs * 1000));
        if (Samples.Count < Samples.Capacity)
        {
            Samples.Add(latencyMs);
        }
        else
        {
            var slot = random.NextInt64(Requests);
            if (slot < Samples.Capacity)
            {
                Samples[(int)slot] = latencyMs;
            }
        }
    }

    public void RecordScore(double score)
    {
        if (ScoreHistogram.Bin(score) is { } bin)
        {
            ScoreBins[bin]++;
        }
    }

    public void RecordOutcome(double outcome)
    {
        KpiSum += outcome;
        KpiSumSquares += outcome * outcome;
        KpiCount++;
    }
}
