namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// The sliding windows the comparators read for one arm: rates over 180 s, latency and nulls over
/// 300 s, KPI over 900 s (the default template's windows). Latencies go into a 1 %-wide log
/// histogram (added as a second enters, removed as it leaves) so a window quantile or a rank sum
/// costs a scan of bins, not a sort of every sample.
/// </summary>
internal sealed class ArmWindows
{
    public const int RateWindow = 180;
    public const int LatencyWindow = 300;
    public const int KpiWindow = 900;
    public const int HistogramBins = 1400;
    private const int Ring = KpiWindow + 1;
    private const int LatencyRing = LatencyWindow + 1;
    private const double BinWidth = 0.01;
    private static readonly double LogMin = Math.Log(0.1);

    private readonly int[] _requests = new int[Ring];
    private readonly int[] _errors = new int[Ring];
    private readonly int[] _timeouts = new int[Ring];
    private readonly int[] _kpiCount = new int[Ring];
    private readonly double[] _kpiSum = new double[Ring];
    private readonly int[] _observations = new int[Ring];
    private readonly int[] _nulls = new int[Ring];
    private readonly double[] _latencies = new double[LatencyRing * SimulatedWorld.SamplesPerBucket];
    private readonly int[] _kept = new int[LatencyRing];

    public long Requests { get; private set; }

    public long Errors { get; private set; }

    public long Timeouts { get; private set; }

    public long KpiCount { get; private set; }

    public double KpiSum { get; private set; }

    public long Observations { get; private set; }

    public long Nulls { get; private set; }

    public long LatencyCount { get; private set; }

    public int[] Histogram { get; } = new int[HistogramBins];

    public void Add(int second, SimulatedBucket bucket)
    {
        var slot = second % Ring;
        _requests[slot] = bucket.Requests;
        _errors[slot] = bucket.Errors;
        _timeouts[slot] = bucket.Timeouts;
        _kpiCount[slot] = bucket.KpiCount;
        _kpiSum[slot] = bucket.KpiSum;
        _observations[slot] = bucket.FeatureObservations;
        _nulls[slot] = bucket.FeatureNulls;
        Requests += bucket.Requests;
        Errors += bucket.Errors;
        Timeouts += bucket.Timeouts;
        KpiCount += bucket.KpiCount;
        KpiSum += bucket.KpiSum;
        Observations += bucket.FeatureObservations;
        Nulls += bucket.FeatureNulls;
        if (second - RateWindow >= 0)
        {
            var old = (second - RateWindow) % Ring;
            Requests -= _requests[old];
            Errors -= _errors[old];
            Timeouts -= _timeouts[old];
        }

        if (second - LatencyWindow >= 0)
        {
            var old = (second - LatencyWindow) % Ring;
            Observations -= _observations[old];
            Nulls -= _nulls[old];
            var oldLatency = (second - LatencyWindow) % LatencyRing;
            for (var i = 0; i < _kept[oldLatency]; i++)
            {
                Histogram[BinOf(_latencies[(oldLatency * SimulatedWorld.SamplesPerBucket) + i])]--;
            }

            LatencyCount -= _kept[oldLatency];
        }

        if (second - KpiWindow >= 0)
        {
            var old = (second - KpiWindow) % Ring;
            KpiCount -= _kpiCount[old];
            KpiSum -= _kpiSum[old];
        }

        var latencySlot = second % LatencyRing;
        _kept[latencySlot] = bucket.Kept;
        for (var i = 0; i < bucket.Kept; i++)
        {
            _latencies[(latencySlot * SimulatedWorld.SamplesPerBucket) + i] = bucket.Latencies[i];
            Histogram[BinOf(bucket.Latencies[i])]++;
        }

        LatencyCount += bucket.Kept;
    }

    /// <summary>The window's q-quantile (nearest rank), at the centre of its 1 % bin; scanned from the top since only tails are asked for.</summary>
    public double Quantile(double q)
    {
        var rank = (long)Math.Ceiling(q * LatencyCount);
        var above = LatencyCount - rank;
        long seen = 0;
        for (var b = HistogramBins - 1; b >= 0; b--)
        {
            seen += Histogram[b];
            if (seen > above)
            {
                return Math.Exp(LogMin + ((b + 0.5) * BinWidth));
            }
        }

        return double.NaN;
    }

    private static int BinOf(double latencyMs) => Math.Clamp((int)((Math.Log(latencyMs) - LogMin) / BinWidth), 0, HistogramBins - 1);
}
