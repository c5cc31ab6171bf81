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
                var window = metrics.Query(watch.Model, version, arm, at, at.AddSeconds(BucketSeconds));
                if (window.Requests == 0 && window.KpiCount == 0)
                {
                    continue;
                }

                db.Add(new IncidentSeriesBucket
                {
                    IncidentId = watch.IncidentId,
                    Arm = arm.ToWire(),
                    Version = version,
                    At = at,
                    Seconds = BucketSeconds,
                    Requests = window.Requests,
                    Errors = window.Errors + window.Fallbacks,
                    Timeouts = window.Timeouts,
                    LatencyP95Ms = window.LatencyP95Ms,
                    LatencyP99Ms = window.LatencyP99Ms,
                    KpiSum = window.KpiSum,
                    KpiCount = window.KpiCount,
                });
                added++;
            }
        }

        if (end > watch.SeriesThrough)
        {
            watch.SeriesThrough = end;
        }

        return added;
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
