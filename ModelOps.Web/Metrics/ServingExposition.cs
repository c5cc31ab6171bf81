using ModelOps.Core.Serving.Log;
using ModelOps.Inference.Serving.Caching;
using ModelOps.Inference.Serving.Metrics;
using ModelOps.Inference.Serving.Mirroring;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Web.Metrics;

/// <summary>The serving plane's own health next to the per-version request families: cache, log, mirror, sessions, routing.</summary>
public sealed class ServingExposition(
    PredictionCache cache,
    IInferenceLog log,
    ShadowQueue shadows,
    RequestRouter router,
    SessionPool pool,
    RoutingTableHolder routing)
{
    public void Write(TextWriter writer)
    {
        var stats = cache.Stats();
        PrometheusTextWriter.WriteFamily(writer, "modelops_prediction_cache_hits_total", "counter", "Prediction cache hits, by model version.", stats.Select(s => (Version(s.Model, s.Version), (double)s.Hits)));
        PrometheusTextWriter.WriteFamily(writer, "modelops_prediction_cache_misses_total", "counter", "Prediction cache misses, by model version.", stats.Select(s => (Version(s.Model, s.Version), (double)s.Misses)));

        var logStats = log.Stats;
        PrometheusTextWriter.WriteCounter(writer, "modelops_inference_log_enqueued_total", "Records and feedback offered to the inference log.", logStats.Enqueued);
        PrometheusTextWriter.WriteCounter(writer, "modelops_inference_log_persisted_total", "Inference log rows committed to the database.", logStats.Persisted);
        PrometheusTextWriter.WriteCounter(writer, "modelops_inference_log_dropped_total", "Inference log items dropped (queue full, or refused by the database after retries).", logStats.Dropped);
        PrometheusTextWriter.WriteGauge(writer, "modelops_inference_log_queue_depth", "Items waiting in the inference log queue.", logStats.QueueDepth);

        PrometheusTextWriter.WriteCounter(writer, "modelops_shadow_mirrored_total", "Requests copied to a shadow version.", shadows.Enqueued);
        PrometheusTextWriter.WriteCounter(writer, "modelops_shadow_dropped_total", "Mirror copies dropped because the mirror queue was full.", shadows.Dropped);
        PrometheusTextWriter.WriteCounter(writer, "modelops_inference_fallbacks_total", "Requests answered by the baseline because the routed version was not healthy.", router.Fallbacks);

        PrometheusTextWriter.WriteFamily(writer, "modelops_session_healthy", "gauge", "1 when the loaded version is healthy, 0 when unhealthy or retired.", pool.States().Select(s => (Version(s.Model, s.Version), s.Health == SessionHealth.Healthy ? 1.0 : 0.0)));
        var tables = routing.Snapshot().Values.OrderBy(t => t.Model, StringComparer.Ordinal).ToList();
        PrometheusTextWriter.WriteFamily(writer, "modelops_routing_generation", "gauge", "Generation of the live routing table.", tables.Select(t => ((IReadOnlyList<KeyValuePair<string, string>>)[new("model", t.Model)], (double)t.Generation)));
        PrometheusTextWriter.WriteFamily(writer, "modelops_routing_weight_percent", "gauge", "Default traffic share of each version in the live table.", tables.SelectMany(t => t.DefaultWeights.Select(w => (Version(t.Model, w.Version), w.Percent))));
    }

    private static IReadOnlyList<KeyValuePair<string, string>> Version(string model, int version) =>
        [new("model", model), new("version", version.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}
