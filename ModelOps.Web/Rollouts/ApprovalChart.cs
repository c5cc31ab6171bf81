using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Web.Charts;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// The evidence chart of a pending approval: the tripped metric (the KPI for a spot check or a
/// dataset flag) per arm, baseline and candidate on the same axes, in 10 s buckets from five
/// minutes before the trigger until now, drawn by the dashboard's and incidents' renderer
/// (<see cref="CanaryChart"/>). Its dashed line at x = 0 marks the moment the trigger was raised. The serving store keeps 15 minutes, so an
/// older approval has no chart.
/// </summary>
public static class ApprovalChart
{
    public const int BucketSeconds = 10;
    public const int BeforeSeconds = 300;

    /// <summary>x = 0 is when the trigger was raised, not a rollback decision (there has been none).</summary>
    public static readonly ChartMarker Origin = new(0, "trigger raised", ChartMarkerKind.Origin);

    public const string XLabel = "seconds from the trigger";

    /// <summary>The SVG, or null when neither arm served in the range.</summary>
    public static string? Svg(IServingMetrics metrics, ApprovalItem item, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(item);
        var metric = item.Guardrail?.Metric ?? "kpi";
        var (title, unit, read) = Of(metric);
        var raised = item.Approval.RaisedAt;
        var from = raised.AddSeconds(-BeforeSeconds);
        var to = now < raised.AddSeconds(BeforeSeconds) ? now : raised.AddSeconds(BeforeSeconds);
        var lines = new[] { (Arm.Baseline, item.BaselineVersion), (Arm.Candidate, item.CandidateVersion) }.Select(arm =>
        {
            var points = new List<(double X, double Y)>();
            for (var at = from; at.AddSeconds(BucketSeconds) <= to; at = at.AddSeconds(BucketSeconds))
            {
                var window = metrics.Query(item.Model, arm.Item2, arm.Item1, at, at.AddSeconds(BucketSeconds));
                if (read(window) is { } y && double.IsFinite(y))
                {
                    points.Add(((at - raised).TotalSeconds + (BucketSeconds / 2.0), y));
                }
            }

            return new ChartSeries($"{(arm.Item1 == Arm.Baseline ? "baseline" : "candidate")} v{arm.Item2}", [.. points.Select(p => p.X)], [.. points.Select(p => p.Y)]);
        }).ToList();
        return lines.All(l => l.Seconds.Length == 0) ? null : CanaryChart.Svg(title, unit, lines, [Origin], new ChartFrame(XLabel), 560, 220);
    }

    private static (string Title, string Unit, Func<MetricsWindow, double?> Read) Of(string metric) => metric switch
    {
        "latency_p95" => ("Latency p95", "ms", w => w.LatencyP95Ms),
        "latency_p99" => ("Latency p99", "ms", w => w.LatencyP99Ms),
        "error_rate" => ("Error rate", "errors / requests", w => w.Requests == 0 ? null : (double)(w.Errors + w.Fallbacks) / w.Requests),
        "timeout_rate" => ("Timeout rate", "timeouts / requests", w => w.Requests == 0 ? null : (double)w.Timeouts / w.Requests),
        _ => ("KPI mean", "outcome / request", w => w.KpiCount == 0 ? null : w.KpiSum / w.KpiCount),
    };
}
