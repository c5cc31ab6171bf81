using ModelOps.Inference.Cluster;
using ModelOps.Inference.Serving.Metrics;

namespace ModelOps.Web.Metrics;

/// <summary>
/// Judging across replicas on <c>/metrics</c> (PostgreSQL only, after the first look this replica
/// took): which replicas the last cap waited for (<c>state="live"</c>) and which it left out as
/// silent, and how far behind the read time the judgeable seconds ended.
/// </summary>
public static class ReplicaJudgingExposition
{
    public static void Write(TextWriter writer, ReplicaJudging judging)
    {
        ArgumentNullException.ThrowIfNull(judging);
        if (judging.Last is not { } last)
        {
            return;
        }

        PrometheusTextWriter.WriteFamily(
            writer,
            "modelops_cluster_judged_replica",
            "gauge",
            "1 per replica at this replica's last look across replicas: state live (its published seconds bound the look) or silent (no flush for over ModelOps:Cluster:MetricsSilentSeconds; left out).",
            last.Seconds.Live.Select(i => (Labels(i, "live"), 1.0)).Concat(last.Seconds.Silent.Select(i => (Labels(i, "silent"), 1.0))));
        PrometheusTextWriter.WriteGauge(
            writer,
            "modelops_cluster_judge_lag_seconds",
            "At this replica's last look across replicas: the database's time minus the end of the seconds every live replica had published.",
            last.Seconds.To == DateTimeOffset.MinValue ? 0 : (last.At - last.Seconds.To).TotalSeconds);
    }

    private static IReadOnlyList<KeyValuePair<string, string>> Labels(string instance, string state) =>
        [new("instance", instance), new("state", state)];
}
