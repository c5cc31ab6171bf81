namespace ModelOps.Core.Cluster;

/// <summary>
/// How far the judge may read merged replica metrics: a second is judged only once every live
/// replica has published it, else a look would count one replica's traffic for that second and
/// never the other's (the next look starts after it). A replica whose last flush is older than the
/// silence bound is left out: it is dead or cut off, and waiting for it would stall every rollout.
/// What it published before going silent is still read. Pure: no clock, no I/O.
/// </summary>
public static class ReplicaWatermarks
{
    /// <summary>
    /// <paramref name="to"/> capped at the first second some live replica has not published yet.
    /// With no watermark at all nothing is known to be published, so nothing is judgeable
    /// (<see cref="DateTimeOffset.MinValue"/>); with every replica silent, what the furthest one published.
    /// </summary>
    public static JudgeableSeconds Cap(DateTimeOffset to, IReadOnlyList<ReplicaWatermark> watermarks, DateTimeOffset now, TimeSpan silentAfter)
    {
        ArgumentNullException.ThrowIfNull(watermarks);
        var live = watermarks.Where(w => now - w.CheckedInAt <= silentAfter).OrderBy(w => w.InstanceId, StringComparer.Ordinal).ToList();
        var silent = watermarks.Where(w => now - w.CheckedInAt > silentAfter).Select(w => w.InstanceId).Order(StringComparer.Ordinal).ToList();
        if (watermarks.Count == 0)
        {
            return new JudgeableSeconds(DateTimeOffset.MinValue, [], []);
        }

        var through = live.Count > 0 ? live.Min(w => w.FlushedThrough) : watermarks.Max(w => w.FlushedThrough);
        var end = DateTimeOffset.FromUnixTimeSeconds(through + 1);
        return new JudgeableSeconds(end < to ? end : to, [.. live.Select(w => w.InstanceId)], silent);
    }
}
