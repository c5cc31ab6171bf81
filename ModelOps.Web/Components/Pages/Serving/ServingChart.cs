using ScottPlot;

namespace ModelOps.Web.Components.Pages.Serving;

/// <summary>Draws rate series server-side with ScottPlot into an SVG string the page embeds (ScottPlot.Blazor is not available).</summary>
public static class ServingChart
{
    public static string Svg(IReadOnlyList<RateSeries> series, int width = 520, int height = 220)
    {
        using var plot = new Plot();
        var top = 1.0;
        foreach (var line in series)
        {
            var scatter = plot.Add.Scatter(line.SecondsAgo.ToArray(), line.RequestsPerSecond.ToArray());
            scatter.LegendText = $"v{line.Version}";
            scatter.MarkerSize = 0;
            scatter.LineWidth = 2;
            top = Math.Max(top, line.RequestsPerSecond.DefaultIfEmpty(0).Max());
        }

        var span = ServingOverview.HistoryStep.TotalSeconds * (ServingOverview.HistoryPoints - 1);
        plot.Axes.SetLimits(-span, 0, 0, top * 1.15);
        plot.XLabel("seconds ago");
        plot.YLabel("req/s");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot.GetSvgXml(width, height);
    }
}
