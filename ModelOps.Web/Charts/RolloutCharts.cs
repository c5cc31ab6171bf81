using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Web.Charts;

/// <summary>
/// The dashboard's live charts of one rollout, baseline and candidate on the same axes, read from
/// the same per-version serving series the judge reads (baseline arm of the baseline version,
/// candidate arm of the candidate): latency p95 and p99, error rate, the KPI with its 95 %
/// confidence band, and the request rate per arm, each with the rollout's markers.
/// </summary>
public static class RolloutCharts
{
    /// <summary>How far back the charts reach.</summary>
    public static readonly TimeSpan Span = TimeSpan.FromSeconds(180);

    /// <summary>Spacing of the points.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(3);

    /// <summary>Latency, errors and KPI at a point summarise this much traffic before it, so a 5 % arm is not all noise.</summary>
    public static readonly TimeSpan Smoothing = TimeSpan.FromSeconds(15);

    public static IReadOnlyList<RolloutChart> Build(IServingMetrics metrics, string model, int baselineVersion, int candidateVersion, DateTimeOffset end, IReadOnlyList<ChartMarker> markers)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var baseline = Points(metrics, model, baselineVersion, Arm.Baseline, end);
        var candidate = Points(metrics, model, candidateVersion, Arm.Candidate, end);
        var x = baseline.Select(p => p.Seconds).ToArray();
        var b = $"baseline v{baselineVersion}";
        var c = $"candidate v{candidateVersion}";
        var frame = ChartFrame.SecondsAgo(Span.TotalSeconds);
        return
        [
            new("latency", "Latency p95 and p99", CanaryChart.Svg("Latency p95 / p99", "ms",
            [
                new($"{b} p95", x, [.. baseline.Select(p => p.P95)]), new($"{c} p95", x, [.. candidate.Select(p => p.P95)]),
                new($"{b} p99", x, [.. baseline.Select(p => p.P99)]), new($"{c} p99", x, [.. candidate.Select(p => p.P99)]),
            ], markers, frame)),
            new("errors", "Error rate", CanaryChart.Svg("Error rate", "errors / request",
                [new(b, x, [.. baseline.Select(p => p.ErrorRate)]), new(c, x, [.. candidate.Select(p => p.ErrorRate)])], markers, frame)),
            new("kpi", "KPI with its 95 % confidence band", CanaryChart.Svg("KPI (shaded: 95 % confidence band)", "outcome / request",
            [
                new(b, x, [.. baseline.Select(p => p.Kpi)], [.. baseline.Select(p => p.KpiLow)], [.. baseline.Select(p => p.KpiHigh)]),
                new(c, x, [.. candidate.Select(p => p.Kpi)], [.. candidate.Select(p => p.KpiLow)], [.. candidate.Select(p => p.KpiHigh)]),
            ], markers, frame)),
            new("rate", "Request rate per arm", CanaryChart.Svg("Requests per second per arm", "req/s",
                [new(b, x, [.. baseline.Select(p => p.Rate)]), new(c, x, [.. candidate.Select(p => p.Rate)])], markers, frame)),
        ];
    }

    /// <summary>The newest whole second: its bucket is complete, so a tick's points do not move within the second.</summary>
    public static DateTimeOffset End(DateTimeOffset now) => DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());

    private static List<ChartPoint> Points(IServingMetrics metrics, string model, int version, Arm arm, DateTimeOffset end)
    {
        var count = (int)(Span / Step);
        var points = new List<ChartPoint>(count);
        for (var i = count - 1; i >= 0; i--)
        {
            var to = end - (i * Step);
            var smoothed = metrics.Query(model, version, arm, to - Smoothing, to);
            var own = metrics.Query(model, version, arm, to - Step, to);
            points.Add(ChartPoint.From((to - end).TotalSeconds, smoothed, own.Requests / Step.TotalSeconds));
        }

        return points;
    }

    private sealed record ChartPoint(double Seconds, double P95, double P99, double ErrorRate, double Kpi, double KpiLow, double KpiHigh, double Rate)
    {
        public static ChartPoint From(double seconds, MetricsWindow window, double rate)
        {
            var errorRate = window.Requests > 0 ? (double)window.Errors / window.Requests : double.NaN;
            var (kpi, low, high) = (double.NaN, double.NaN, double.NaN);
            if (window.KpiCount > 0)
            {
                kpi = window.KpiSum / window.KpiCount;
                var variance = Math.Max(0, (window.KpiSumSquares / window.KpiCount) - (kpi * kpi));
                var half = 1.96 * Math.Sqrt(variance / window.KpiCount);
                (low, high) = (kpi - half, kpi + half);
            }

            return new(seconds, window.LatencyP95Ms ?? double.NaN, window.LatencyP99Ms ?? double.NaN, errorRate, kpi, low, high, rate);
        }
    }
}
