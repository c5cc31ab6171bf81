using System.Globalization;
using System.Text;

namespace ModelOps.Inference.Serving.Metrics;

/// <summary>
/// Prometheus text exposition format 0.0.4: one HELP and TYPE line per family, counters end
/// in <c>_total</c>, histograms carry cumulative <c>le</c> buckets ending in <c>+Inf</c> plus
/// <c>_sum</c> and <c>_count</c>; label values escape backslash, quote and newline.
/// </summary>
public static class PrometheusTextWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(IReadOnlyList<SeriesTotals> totals)
    {
        var text = new StringBuilder();
        text.Append("# HELP modelops_inference_requests_total Inference requests served, by model version, arm and status.\n");
        text.Append("# TYPE modelops_inference_requests_total counter\n");
        foreach (var series in totals)
        {
            foreach (var (status, count) in new[] { ("ok", series.Ok), ("error", series.Errors), ("timeout", series.Timeouts) })
            {
                text.Append("modelops_inference_requests_total{").Append(Labels(series)).Append(",status=\"").Append(status).Append("\"} ")
                    .Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        text.Append("# HELP modelops_inference_latency_seconds Inference latency inside the serving path.\n");
        text.Append("# TYPE modelops_inference_latency_seconds histogram\n");
        foreach (var series in totals)
        {
            var labels = Labels(series);
            for (var i = 0; i < SeriesTotals.LatencyBucketsSeconds.Count; i++)
            {
                text.Append("modelops_inference_latency_seconds_bucket{").Append(labels).Append(",le=\"")
                    .Append(Number(SeriesTotals.LatencyBucketsSeconds[i])).Append("\"} ")
                    .Append(series.LatencyBucketCounts[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            text.Append("modelops_inference_latency_seconds_bucket{").Append(labels).Append(",le=\"+Inf\"} ").Append(series.Requests.ToString(CultureInfo.InvariantCulture)).Append('\n');
            text.Append("modelops_inference_latency_seconds_sum{").Append(labels).Append("} ").Append(Number(series.LatencySumSeconds)).Append('\n');
            text.Append("modelops_inference_latency_seconds_count{").Append(labels).Append("} ").Append(series.Requests.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append("# HELP modelops_inference_feedback_outcomes_total Outcome feedback received, by model version and arm.\n");
        text.Append("# TYPE modelops_inference_feedback_outcomes_total counter\n");
        foreach (var series in totals)
        {
            text.Append("modelops_inference_feedback_outcomes_total{").Append(Labels(series)).Append("} ").Append(series.OutcomeCount.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append("# HELP modelops_inference_feedback_outcome_sum_total Sum of feedback outcome values (the KPI numerator).\n");
        text.Append("# TYPE modelops_inference_feedback_outcome_sum_total counter\n");
        foreach (var series in totals)
        {
            text.Append("modelops_inference_feedback_outcome_sum_total{").Append(Labels(series)).Append("} ").Append(Number(series.OutcomeSum)).Append('\n');
        }

        return text.ToString();
    }

    private static string Labels(SeriesTotals series) =>
        $"model=\"{Escape(series.Key.Model)}\",version=\"{series.Key.Version.ToString(CultureInfo.InvariantCulture)}\",arm=\"{series.Key.Arm.ToString().ToLowerInvariant()}\"";

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
