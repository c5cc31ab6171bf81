using ModelOps.Core.Rollouts.Monitoring;
using ModelOps.Inference.Cluster;
using ModelOps.Inference.Serving.Chaos;
using ModelOps.Inference.Serving.Metrics;

namespace ModelOps.Web.Metrics;

public static class MetricsEndpoints
{
    /// <summary>Anonymous, as Prometheus scrapes without credentials; it exposes counts, never payloads.</summary>
    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", ScrapeAsync).AllowAnonymous().WithTags("Metrics");
        return app;
    }

    private static async Task<ContentHttpResult> ScrapeAsync(
        ServingMetricsStore store, ChaosBoard chaos, ServingExposition serving, RolloutMetricsQuery rollouts, ReplicaJudging judging, DegradedRoutingExposition degraded, CancellationToken cancellationToken)
    {
        var rolloutMetrics = await rollouts.ReadAsync(cancellationToken);
        return TypedResults.Text(
            PrometheusTextWriter.Write(
                store.Totals(),
                writer => PrometheusTextWriter.WriteGauge(writer, "modelops_chaos_faults_active", "Game-day faults currently injected (POST /api/chaos).", chaos.All().Count),
                serving.Write,
                writer => RolloutExposition.Write(writer, rolloutMetrics),
                writer => ReplicaJudgingExposition.Write(writer, judging),
                degraded.Write),
            PrometheusTextWriter.ContentType);
    }
}
