using ModelOps.Core.Incidents.Verification;
using ModelOps.Core.Persistence;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Incidents.Series;

/// <summary>
/// Copies an incident's metric series out of the serving metrics store into its own rows, bucket by
/// complete bucket, picking up where the last copy stopped (<see cref="IncidentWatch.SeriesThrough"/>):
/// the target's baseline arm, the candidate's live arm and its mirror. The store keeps
/// <c>ModelOps:Metrics:HorizonSeconds</c> (900 by default); a bucket older than that when copied is
/// gone and stays missing.
/// </summary>
public sealed class IncidentSeriesRecorder(ModelOpsDbContext db, IServingMetrics metrics)
{
    /// <summary>Long enough for a 5 % error rate or a p95 to mean something at demo rates, short enough to show a breach's shape.</summary>
    public const int BucketSeconds = 5;

    /// <summary>Adds the buckets of [<c>SeriesThrough</c>, <paramref name="through"/>) to the context (the caller saves) and moves the watch on.</summary>
    public int Append(IncidentWatch watch, DateTimeOffset through)
    {
        ArgumentNullException.ThrowIfNull(watch);
        var end = Floor(through);
        var added = 0;
        for (var at = watch.SeriesThrough; at < end; at = at.AddSeconds(BucketSeconds))
        {
            foreach (var (arm, version) in Arms(watch))
            {
                if (Bucket(watch.Model, version, arm, at) is not { } bucket)
                {
                    continue;
                }

                Add(watch.IncidentId, arm, version, at, bucket);
                added++;
            }
        }

        if (end > watch.SeriesThrough)
        {
            watch.SeriesThrough = end;
        }

        return added;
    }

    /// <summary>Adds one arm's buckets of [<paramref name="from"/>, <paramref name="to"/>) to the context (the caller saves), for an incident without a watch; returns how many.</summary>
    public int CopyRange(string incidentId, string model, int version, Arm arm, DateTimeOffset from, DateTimeOffset to)
    {
        var buckets = Read(model, version, arm, from, to);
        foreach (var bucket in buckets)
        {
            Add(incidentId, arm, version, bucket.At, bucket);
        }

        return buckets.Count;
    }

    /// <summary>One arm's buckets in [<paramref name="from"/>, <paramref name="to"/>) straight from the store, not persisted (only those where it served or heard something).</summary>
    public IReadOnlyList<SeriesBucket> Read(string model, int version, Arm arm, DateTimeOffset from, DateTimeOffset to)
    {
        var buckets = new List<SeriesBucket>();
        for (var at = Floor(from); at < to; at = at.AddSeconds(BucketSeconds))
        {
            if (Bucket(model, version, arm, at) is { } bucket)
            {
                buckets.Add(bucket);
            }
        }

        return buckets;
    }

    private void Add(string incidentId, Arm arm, int version, DateTimeOffset at, SeriesBucket bucket) => db.Add(new IncidentSeriesBucket
    {
        IncidentId = incidentId,
        Arm = arm.ToWire(),
        Version = version,
        At = at,
        Seconds = BucketSeconds,
        Requests = bucket.Requests,
        Errors = bucket.Errors,
        Timeouts = bucket.Timeouts,
        LatencyP95Ms = bucket.LatencyP95Ms,
        LatencyP99Ms = bucket.LatencyP99Ms,
        KpiSum = bucket.KpiSum,
        KpiCount = bucket.KpiCount,
    });

    /// <summary>Errors count fallbacks too: a fallback is a failure of the routed version, as the judge counts it.</summary>
    private SeriesBucket? Bucket(string model, int version, Arm arm, DateTimeOffset at)
    {
        var window = metrics.Query(model, version, arm, at, at.AddSeconds(BucketSeconds));
        return window.Requests == 0 && window.KpiCount == 0
            ? null
            : new SeriesBucket(at, BucketSeconds, window.Requests, window.Errors + window.Fallbacks, window.Timeouts, window.LatencyP95Ms, window.LatencyP99Ms, window.KpiSum, window.KpiCount);
    }

    /// <summary>The start of the bucket <paramref name="t"/> falls in (buckets are aligned to the Unix epoch).</summary>
    public static DateTimeOffset Floor(DateTimeOffset t)
    {
        var seconds = t.ToUnixTimeSeconds();
        return DateTimeOffset.FromUnixTimeSeconds(seconds - (((seconds % BucketSeconds) + BucketSeconds) % BucketSeconds));
    }

    /// <summary>The first bucket start at or after <paramref name="t"/>.</summary>
    public static DateTimeOffset Ceiling(DateTimeOffset t)
    {
        var floor = Floor(t);
        return floor == t ? floor : floor.AddSeconds(BucketSeconds);
    }

    private static (Arm Arm, int Version)[] Arms(IncidentWatch watch) =>
        [(Arm.Baseline, watch.TargetVersion), (Arm.Candidate, watch.CandidateVersion), (Arm.Shadow, watch.CandidateVersion)];
}
