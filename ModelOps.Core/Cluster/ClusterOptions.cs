using System.ComponentModel.DataAnnotations;

namespace ModelOps.Core.Cluster;

/// <summary>
/// The <c>ModelOps:Cluster</c> section: how replicas sharing one PostgreSQL database find out about
/// each other. Read only with <c>ModelOps:Database:Provider=Postgres</c>; one SQLite process has no peers.
/// </summary>
public sealed class ClusterOptions
{
    public const string Section = "ModelOps:Cluster";

    /// <summary>This replica's name in Quartz's cluster and in the shared metrics; empty means host name, process id and a random suffix (unique per start).</summary>
    [MaxLength(80)]
    public string? InstanceId { get; set; }

    /// <summary>
    /// How often each replica's scheduler checks in. A replica silent for this long plus the same
    /// again (Quartz's check-in misfire threshold) is presumed dead, and its jobs are taken over.
    /// </summary>
    [Range(1, 60)]
    public int CheckinIntervalSeconds { get; set; } = 2;

    /// <summary>How often a replica compares its routing generations with the database's, whatever notifications it got (the fallback for a missed NOTIFY).</summary>
    [Range(1, 300)]
    public int RoutingReconcileSeconds { get; set; } = 5;

    /// <summary>How long a replica may go without reaching the database, while a rollout is active, before it serves the candidate's share from the rollback target.</summary>
    [Range(1, 3_600)]
    public int DatabaseOutageSeconds { get; set; } = 15;

    /// <summary>
    /// How long a replica may go without publishing its serving metrics before the judge stops
    /// waiting for it: judging reads only seconds every replica that published within this has
    /// published, so a dead replica holds every rollout's looks back by at most this long.
    /// </summary>
    [Range(2, 600)]
    public int MetricsSilentSeconds { get; set; } = 10;

    /// <summary>The instance id to use: the configured one, else one made from the host, the process and a random suffix.</summary>
    public string ResolveInstanceId() =>
        string.IsNullOrWhiteSpace(InstanceId)
            ? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}"
            : InstanceId;
}
