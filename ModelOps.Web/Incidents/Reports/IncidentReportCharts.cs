using ModelOps.Core.Incidents.Series;
using ModelOps.Web.Charts;

namespace ModelOps.Web.Incidents.Reports;

/// <summary>
/// The report's (and the incident page's) charts from an incident's persisted series: latency p95,
/// error rate and KPI mean, each with every arm on the same axes, the decision at x = 0 and the
/// verification window shaded, drawn by the dashboard's renderer (<see cref="CanaryChart"/>).
/// </summary>
public static class IncidentReportCharts
{
    /// <summary>x = 0 of an incident's charts: the rollback decision.</summary>
    public static readonly ChartMarker Decision = new(0, "decision", ChartMarkerKind.Origin);

    public const string XLabel = "seconds from the rollback decision";

    /// <summary>The three charts; a metric no arm carried (no KPI outcomes reported, say) gets no chart.</summary>
    public static IReadOnlyList<ReportBlock.Chart> Build(IReadOnlyList<IncidentSeriesBucket> buckets, DateTimeOffset decidedAt, (DateTimeOffset From, DateTimeOffset To)? verification)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        if (buckets.Count == 0)
        {
            return [];
        }

        var arms = buckets.GroupBy(b => (b.Arm, b.Version)).OrderBy(g => g.Key.Arm, StringComparer.Ordinal).ThenBy(g => g.Key.Version).ToList();
        var window = verification is { } w ? new ChartSpan(Seconds(w.From, decidedAt), Seconds(w.To, decidedAt), "verification window") : null;
        return
        [
            .. Chart("Latency p95 per arm", "ms", arms, decidedAt, b => b.LatencyP95Ms, window),
            .. Chart("Error rate per arm", "errors / requests", arms, decidedAt, b => b.ErrorRate, window),
            .. Chart("KPI mean per arm", "outcome / request", arms, decidedAt, b => b.KpiMean, window),
        ];
    }

    /// <summary>One chart: each arm's buckets that carry the metric, at the middle of the bucket; none when no bucket does.</summary>
    public static IReadOnlyList<ReportBlock.Chart> Chart(
        string title, string unit, IEnumerable<IGrouping<(string Arm, int Version), IncidentSeriesBucket>> arms, DateTimeOffset decidedAt,
        Func<SeriesBucket, double?> metric, ChartSpan? window)
    {
        ArgumentNullException.ThrowIfNull(arms);
        ArgumentNullException.ThrowIfNull(metric);
        var lines = arms.Select(arm =>
        {
            var points = arm.OrderBy(b => b.At).Select(b => b.ToBucket())
                .Select(b => (X: Seconds(b.At, decidedAt) + (b.Seconds / 2.0), Y: metric(b)))
                .Where(p => p.Y is { } y && double.IsFinite(y)).ToList();
            return new ChartSeries($"{arm.Key.Arm} v{arm.Key.Version}", [.. points.Select(p => p.X)], [.. points.Select(p => p.Y!.Value)]); // Filtered to non-null above.
        }).ToList();
        if (lines.All(l => l.Seconds.Length == 0))
        {
            return [];
        }

        return [new ReportBlock.Chart($"{title}; dashed line: the rollback decision; shaded: the verification window.", CanaryChart.Svg(title, unit, lines, [Decision], new ChartFrame(XLabel, Shaded: window), 640, 260))];
    }

    private static double Seconds(DateTimeOffset at, DateTimeOffset decidedAt) => (at - decidedAt).TotalSeconds;
}
