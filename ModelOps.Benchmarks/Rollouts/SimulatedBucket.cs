namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// One second of one arm as the metrics store would hold it: counts, at most 64 raw latencies
/// (the store's reservoir; requests are i.i.d. here, so keeping the first 64 is the same
/// distribution), the KPI outcomes whose attribution window closed this second, and the feature
/// and score histograms. Reused second after second.
/// </summary>
internal sealed class SimulatedBucket
{
    public int Requests;
    public int Errors;
    public int Timeouts;
    public int Kept;
    public int KpiCount;
    public double KpiSum;
    public int FeatureObservations;
    public int FeatureNulls;

    public double[] Latencies { get; } = new double[SimulatedWorld.SamplesPerBucket];

    public long[] FeatureBins { get; } = new long[SimulatedWorld.Bins];

    public long[] ScoreBins { get; } = new long[SimulatedWorld.Bins];

    public int[] KpiCountBySegment { get; } = new int[SimulatedWorld.Segments];

    public double[] KpiSumBySegment { get; } = new double[SimulatedWorld.Segments];

    public void Clear()
    {
        Requests = Errors = Timeouts = Kept = KpiCount = FeatureObservations = FeatureNulls = 0;
        KpiSum = 0;
        Array.Clear(FeatureBins);
        Array.Clear(ScoreBins);
        Array.Clear(KpiCountBySegment);
        Array.Clear(KpiSumBySegment);
    }
}
