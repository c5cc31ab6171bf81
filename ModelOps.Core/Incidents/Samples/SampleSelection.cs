namespace ModelOps.Core.Incidents.Samples;

/// <summary>
/// Which logged requests an incident keeps: every failed one up to <c>failedShare</c> of
/// <c>size</c> (failures are what a reviewer reads first, but a flood of them must not push out
/// what healthy traffic looked like), the rest a uniform random sample of everything not yet
/// picked. Pure and seeded: the same keys, size, share and seed always pick the same rows.
/// </summary>
public static class SampleSelection
{
    public static IReadOnlyList<long> Pick(IReadOnlyList<LoggedRequestKey> keys, int size, double failedShare, int seed)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (size <= 0 || keys.Count == 0)
        {
            return [];
        }

        if (keys.Count <= size)
        {
            return [.. keys.Select(k => k.LogId).Order()];
        }

        var random = new Random(seed);
        var failedCap = (int)Math.Floor(size * Math.Clamp(failedShare, 0, 1));
        var failed = keys.Where(k => k.Failed).Select(k => k.LogId).ToArray();
        var picked = new HashSet<long>(Draw(failed, failedCap, random));
        var rest = keys.Select(k => k.LogId).Where(id => !picked.Contains(id)).ToArray();
        picked.UnionWith(Draw(rest, size - picked.Count, random));
        return [.. picked.Order()];
    }

    /// <summary>Up to <paramref name="count"/> distinct items, uniformly (a partial Fisher–Yates shuffle).</summary>
    private static IEnumerable<long> Draw(long[] items, int count, Random random)
    {
        count = Math.Min(count, items.Length);
        for (var i = 0; i < count; i++)
        {
            var j = random.Next(i, items.Length);
            (items[i], items[j]) = (items[j], items[i]);
        }

        return items.Take(count);
    }
}
