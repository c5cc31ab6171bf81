using System.Diagnostics;

namespace ModelOps.Benchmarks.Serving;

/// <summary>Exact percentiles of per-request latencies (every sample kept and sorted, no histogram buckets).</summary>
public sealed record LatencySummary(long Count, double P50Ms, double P99Ms, double P999Ms, double MaxMs)
{
    /// <summary>Summarises <see cref="Stopwatch"/> tick samples gathered by several workers.</summary>
    public static LatencySummary FromTicks(IEnumerable<List<long>> perWorker)
    {
        var all = perWorker.SelectMany(w => w).ToArray();
        if (all.Length == 0)
        {
            return new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        Array.Sort(all);
        return new LatencySummary(all.Length, Ms(At(all, 0.50)), Ms(At(all, 0.99)), Ms(At(all, 0.999)), Ms(all[^1]));
    }

    public override string ToString() => $"p50 {P50Ms:F3} ms, p99 {P99Ms:F3} ms, p99.9 {P999Ms:F3} ms, max {MaxMs:F1} ms";

    // Nearest rank: the smallest sample with at least q of all samples at or below it.
    private static long At(long[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
