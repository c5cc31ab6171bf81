using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Cluster;

/// <summary>
/// One arm's measurements over the same seconds on several replicas, merged into what the judge
/// would have seen from one process serving all of their traffic. Counts, KPI sums and sums of
/// squares and per-segment tallies add (feature histograms and score bins are added as the rows are
/// read, by the cluster reader's distribution sum, and are not carried here). Latency samples do not: each replica's are a
/// bounded reservoir of its own requests, so concatenating them would give a replica that served
/// 10 requests as many samples as one that served 10,000. Instead each replica contributes samples
/// in proportion to its request count (largest remainders, at most what it kept), drawn without
/// replacement by the caller's seeded <see cref="Random"/>. Pure: no clock, no I/O.
/// </summary>
public static class ReplicaMeasurements
{
    public static ArmMeasurements Merge(IReadOnlyList<ArmMeasurements> replicas, int sampleCapacity, Random random)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCapacity);
        if (replicas.Count == 1)
        {
            return replicas[0];
        }

        return new ArmMeasurements(
            replicas.Sum(r => r.Requests),
            replicas.Sum(r => r.Errors),
            replicas.Sum(r => r.Timeouts),
            WeightedSamples(replicas, sampleCapacity, random),
            replicas.Sum(r => r.KpiSum),
            replicas.Sum(r => r.KpiSumSquares),
            replicas.Sum(r => r.KpiCount),
            KpiBySegment: MergeSegments(replicas));
    }

    /// <summary>
    /// How many samples each replica contributes: its share of all requests times the merged
    /// sample's size, rounded by largest remainder and capped at what it kept (the shortfall is
    /// not handed to others: that would over-weight them again).
    /// </summary>
    public static int[] Quotas(IReadOnlyList<(long Requests, int Kept)> replicas, int sampleCapacity)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        var total = replicas.Sum(r => r.Requests);
        var quotas = new int[replicas.Count];
        if (total == 0)
        {
            return quotas;
        }

        var size = Math.Min(sampleCapacity, replicas.Sum(r => r.Kept));
        var exact = replicas.Select(r => size * (double)r.Requests / total).ToArray();
        for (var i = 0; i < quotas.Length; i++)
        {
            quotas[i] = (int)Math.Floor(exact[i]);
        }

        foreach (var i in Enumerable.Range(0, quotas.Length).OrderByDescending(i => exact[i] - quotas[i]).ThenBy(i => i).Take(size - quotas.Sum()))
        {
            quotas[i]++;
        }

        for (var i = 0; i < quotas.Length; i++)
        {
            quotas[i] = Math.Min(quotas[i], replicas[i].Kept);
        }

        return quotas;
    }

    private static List<double> WeightedSamples(IReadOnlyList<ArmMeasurements> replicas, int sampleCapacity, Random random)
    {
        var quotas = Quotas([.. replicas.Select(r => (r.Requests, r.LatencySamplesMs.Count))], sampleCapacity);
        var merged = new List<double>(quotas.Sum());
        for (var i = 0; i < replicas.Count; i++)
        {
            var pool = replicas[i].LatencySamplesMs.ToArray();
            // A partial Fisher–Yates shuffle: the first quota entries are a uniform draw without replacement.
            for (var k = 0; k < quotas[i]; k++)
            {
                var j = k + random.Next(pool.Length - k);
                (pool[k], pool[j]) = (pool[j], pool[k]);
                merged.Add(pool[k]);
            }
        }

        return merged;
    }

    private static Dictionary<string, IReadOnlyDictionary<string, ArmTally>>? MergeSegments(IReadOnlyList<ArmMeasurements> replicas)
    {
        var dimensions = replicas.Where(r => r.KpiBySegment is not null).SelectMany(r => r.KpiBySegment!).ToList();
        return dimensions.Count == 0
            ? null
            : dimensions.GroupBy(d => d.Key, StringComparer.Ordinal).ToDictionary(
                d => d.Key,
                d => (IReadOnlyDictionary<string, ArmTally>)d.SelectMany(x => x.Value).GroupBy(s => s.Key, StringComparer.Ordinal)
                    .ToDictionary(s => s.Key, s => s.Aggregate(default(ArmTally), (t, x) => t.Add(x.Value)), StringComparer.Ordinal),
                StringComparer.Ordinal);
    }
}
