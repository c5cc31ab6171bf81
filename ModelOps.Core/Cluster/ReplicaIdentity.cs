namespace ModelOps.Core.Cluster;

/// <summary>
/// Who this process is among the replicas: its instance id (Quartz's, and the name its metrics are
/// published under) and whether it shares a PostgreSQL database with others at all.
/// </summary>
public sealed record ReplicaIdentity(string InstanceId, bool Clustered);
