namespace ModelOps.Core.Cluster;

/// <summary>
/// What one replica has published of its serving metrics: every one-second bucket up to and including
/// <paramref name="FlushedThrough"/> (a Unix second), as of its last flush at <paramref name="CheckedInAt"/>
/// (the database's clock, so replicas' clocks need not agree on liveness).
/// </summary>
public sealed record ReplicaWatermark(string InstanceId, long FlushedThrough, DateTimeOffset CheckedInAt);
