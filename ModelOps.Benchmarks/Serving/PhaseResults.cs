namespace ModelOps.Benchmarks.Serving;

/// <summary>What one load worker saw in each phase of a run: latencies (Stopwatch ticks), failures and the version that answered.</summary>
public sealed class PhaseResults
{
    private const int Phases = 4;

    private readonly List<long>[] _latencies = [.. Enumerable.Range(0, Phases).Select(_ => new List<long>(1 << 20))];
    private readonly long[] _failed = new long[Phases];
    private readonly string?[] _firstError = new string?[Phases];
    private readonly Dictionary<int, long>[] _versions = [.. Enumerable.Range(0, Phases).Select(_ => new Dictionary<int, long>())];

    /// <summary>Called by the owning worker only; read once the worker has stopped.</summary>
    public void Record(int phase, long ticks, int version, string? error)
    {
        _latencies[phase].Add(ticks);
        _versions[phase][version] = _versions[phase].GetValueOrDefault(version) + 1;
        if (error is not null)
        {
            _failed[phase]++;
            _firstError[phase] ??= error;
        }
    }

    public static Summary Summarise(IReadOnlyList<PhaseResults> workers, int phase)
    {
        var versions = new Dictionary<int, long>();
        foreach (var (version, count) in workers.SelectMany(w => w._versions[phase]))
        {
            versions[version] = versions.GetValueOrDefault(version) + count;
        }

        return new Summary(
            workers.Sum(w => (long)w._latencies[phase].Count),
            workers.Sum(w => w._failed[phase]),
            workers.Select(w => w._firstError[phase]).FirstOrDefault(e => e is not null),
            versions,
            LatencySummary.FromTicks(workers.Select(w => w._latencies[phase])));
    }

    public sealed record Summary(long Requests, long Failed, string? FirstError, IReadOnlyDictionary<int, long> Versions, LatencySummary Latency)
    {
        public long ByVersion(int version) => Versions.GetValueOrDefault(version);

        public string Describe() => FirstError is null ? string.Empty : $" (first: {FirstError})";
    }
}
