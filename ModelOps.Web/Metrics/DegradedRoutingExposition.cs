using ModelOps.Inference.Serving.Metrics;
using ModelOps.Inference.Serving.Routing;

namespace ModelOps.Web.Metrics;

/// <summary>
/// The degraded mode on <c>/metrics</c> (PostgreSQL only: nothing is written where no watch reports
/// a database contact): whether this replica reaches the database, for how long it has not, and
/// per live model whether it is served from a local override of the candidate's share.
/// </summary>
public sealed class DegradedRoutingExposition(LocalRoutingOverride overrides, RoutingTableHolder routing, TimeProvider time)
{
    /// <summary>False once this replica's last database probe failed (always true where nothing watches).</summary>
    public bool DatabaseReachable => overrides.Contact?.Reachable != false;

    public void Write(TextWriter writer)
    {
        if (overrides.Contact is not { } contact)
        {
            return;
        }

        PrometheusTextWriter.WriteGauge(writer, "modelops_cluster_database_reachable", "1 when this replica's last database probe (every second) got through, else 0.", contact.Reachable ? 1 : 0);
        PrometheusTextWriter.WriteGauge(
            writer,
            "modelops_cluster_database_unreachable_seconds",
            "Seconds since this replica's last successful database probe while the latest failed (0 when reachable).",
            contact.UnreachableFor(time.GetUtcNow()).TotalSeconds);
        var tables = routing.Snapshot().Values.OrderBy(t => t.Model, StringComparer.Ordinal).ToList();
        PrometheusTextWriter.WriteFamily(
            writer,
            "modelops_cluster_degraded_routing",
            "gauge",
            "1 when this replica serves the model's active rollout with the candidate's share on the rollback target (database unreachable past ModelOps:Cluster:DatabaseOutageSeconds), else 0.",
            tables.Select(t => ((IReadOnlyList<KeyValuePair<string, string>>)[new("model", t.Model)], overrides.Overrides(t) ? 1.0 : 0.0)));
    }
}
