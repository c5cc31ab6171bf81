using ScottPlot;

namespace ModelOps.Web.Components.Pages.Serving;

/// <summary>Draws rate series server-side with ScottPlot into an SVG string the page embeds (ScottPlot.Blazor is not available).</summary>
public static class ServingChart
{
    /// <summary>
    /// Skia lays text out with a server font and the SVG pins every glyph's x position, so the
    /// browser must draw it with the same metrics: Liberation Sans is metric-compatible with
    /// Arial, which stands in where Liberation Sans is not installed.
    /// </summary>
    private const string Font = "Liberation Sans";

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
        plot.Font.Set(Font);
        return Embeddable(plot.GetSvgXml(width, height), width, height);
    }

    /// <summary>Inline in HTML: no XML declaration, a viewBox so CSS can scale it to its column, and a font fallback.</summary>
    private static string Embeddable(string svg, int width, int height)
    {
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return svg[start..]
            .Replace("<svg ", $"<svg viewBox=\"0 0 {width} {height}\" ", StringComparison.Ordinal)
            .Replace($"font-family=\"{Font}\"", $"font-family=\"{Font}, Arial, Helvetica, sans-serif\"", StringComparison.Ordinal);
    }
}
