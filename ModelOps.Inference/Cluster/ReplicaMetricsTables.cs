namespace ModelOps.Inference.Cluster;

/// <summary>
/// The PostgreSQL tables replicas share their serving metrics through (created by the PostgreSQL
/// migration <c>ReplicaMetrics</c> as plain SQL: they are not part of the EF model, so SQLite never has them).
/// </summary>
internal static class ReplicaMetricsTables
{
    /// <summary>One row per replica, series and second; <c>Region</c> is empty for the pooled series.</summary>
    public const string Buckets = "ReplicaMetricBuckets";

    /// <summary>One row per replica: the last second it has published all of, and when it last flushed (database clock).</summary>
    public const string Watermarks = "ReplicaWatermarks";

    /// <summary>What the judge asked every replica to keep: per-region series (<c>Kind</c> = regions) and segments of a dimension.</summary>
    public const string Tracked = "ReplicaTrackedMetrics";

    public const string RegionsKind = "regions";

    public const string SegmentsKind = "segments";
}
