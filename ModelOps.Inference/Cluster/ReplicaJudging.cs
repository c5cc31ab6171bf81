using ModelOps.Core.Cluster;

namespace ModelOps.Inference.Cluster;

/// <summary>
/// The last cap the judge read across replicas (which replicas bounded it, which were left out as
/// silent, and when it was read), for <c>/metrics</c> (<c>modelops_cluster_judged_replica</c>). Empty on SQLite.
/// </summary>
public sealed class ReplicaJudging
{
    private volatile Snapshot? _last;

    public Snapshot? Last => _last;

    /// <summary>Records a cap; true when the set of silent replicas differs from the previous one (worth a log line).</summary>
    public bool Record(JudgeableSeconds seconds, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(seconds);
        var previous = _last;
        _last = new Snapshot(seconds, at);
        return previous is null ? seconds.Silent.Count > 0 : !previous.Seconds.Silent.SequenceEqual(seconds.Silent, StringComparer.Ordinal);
    }

    public sealed record Snapshot(JudgeableSeconds Seconds, DateTimeOffset At);
}
