namespace ModelOps.Benchmarks.Serving;

/// <summary>One timed load run: requests answered (any status), non-2xx or failed ones, and every latency in Stopwatch ticks, per worker.</summary>
public sealed record LoadRun(long Requests, long Errors, string? FirstError, TimeSpan Elapsed, IReadOnlyList<List<long>> Latencies)
{
    /// <summary>Several runs of the same endpoint as one: counts and time add up, latencies pool.</summary>
    public static LoadRun Merge(IReadOnlyList<LoadRun> runs) => new(
        runs.Sum(r => r.Requests),
        runs.Sum(r => r.Errors),
        runs.Select(r => r.FirstError).FirstOrDefault(e => e is not null),
        TimeSpan.FromTicks(runs.Sum(r => r.Elapsed.Ticks)),
        [.. runs.SelectMany(r => r.Latencies)]);

    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    public LatencySummary Latency() => LatencySummary.FromTicks(Latencies);
}
