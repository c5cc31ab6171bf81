using ModelOps.Inference.Serving.Chaos;
using ModelOps.Inference.Serving.Metrics;

namespace ModelOps.Web.Metrics;

public static class MetricsEndpoints
{
    /// <summary>Anonymous, as Prometheus scrapes without credentials; it exposes counts, never payloads.</summary>
    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", Scrape).AllowAnonymous().WithTags("Metrics");
        return app;
    }

    private static ContentHttpResult Scrape(ServingMetricsStore store, ChaosBoard chaos, ServingExposition serving) =>
        TypedResults.Text(
            PrometheusTextWriter.Write(
                store.Totals(),
                writer => PrometheusTextWriter.WriteGauge(writer, "modelops_chaos_faults_active", "Game-day faults currently injected (POST /api/chaos).", chaos.All().Count),
                serving.Write),
            PrometheusTextWriter.ContentType);
}
