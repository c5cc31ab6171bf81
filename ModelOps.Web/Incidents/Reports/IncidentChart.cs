using System.Globalization;
using ScottPlot;

namespace ModelOps.Web.Incidents.Reports;

/// <summary>
/// Draws one metric of an incident per arm on shared axes with ScottPlot core, server-side, into an
/// SVG string: x is seconds from the decision (or another <see cref="ChartOrigin"/>; a vertical line at 0), the verification window is
/// shaded. Self-contained (no external fonts or images), so it inlines into HTML and Markdown and
/// a console page can embed it the same way.
/// </summary>
public static class IncidentChart
{
    /// <summary>Liberation Sans is metric-compatible with Arial, the browser's stand-in (see ServingChart).</summary>
    private const string Font = "Liberation Sans";

    /// <summary>An incident's chart: x in seconds from the rollback decision.</summary>
    public static string Svg(string title, string unit, IReadOnlyList<ChartLine> lines, (double From, double To)? verification, int width = 640, int height = 260) =>
        Svg(title, unit, lines, verification, new ChartOrigin("seconds from the rollback decision", "decision"), width, height);

    /// <param name="origin">What x = 0 is: the axis label and the legend of the line drawn there (an approval's chart counts from its trigger).</param>
    public static string Svg(string title, string unit, IReadOnlyList<ChartLine> lines, (double From, double To)? verification, ChartOrigin origin, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(lines);
        using var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Seconds.Count == 0)
            {
                continue;
            }

            var scatter = plot.Add.Scatter(line.Seconds.ToArray(), line.Values.ToArray());
            scatter.LegendText = line.Label;
            scatter.Color = palette.GetColor(i);
            scatter.MarkerSize = line.Seconds.Count == 1 ? 5 : 0;
            scatter.LineWidth = 2;
        }

        if (verification is { } window && window.To > window.From)
        {
            var span = plot.Add.HorizontalSpan(window.From, window.To);
            span.FillStyle.Color = Colors.Green.WithAlpha(0.12);
            span.LineStyle.Width = 0;
            span.LegendText = "verification window";
        }

        // Every metric drawn here is non-negative: anchor the axis just under 0, so a flat zero reads as zero (not noise) and stays visible above the axis.
        var top = lines.SelectMany(l => l.Values).DefaultIfEmpty(0).Max();
        plot.Axes.AutoScaleX();
        plot.Axes.SetLimitsY(top > 0 ? -top * 0.03 : -0.03, top > 0 ? top * 1.15 : 1);
        var decision = plot.Add.VerticalLine(0);
        decision.Color = Colors.Red;
        decision.LinePattern = LinePattern.Dashed;
        decision.LegendText = origin.Legend;
        plot.Title(title);
        plot.XLabel(origin.AxisLabel);
        plot.YLabel(unit);
        plot.ShowLegend(Edge.Right);
        plot.Font.Set(Font);
        return Embeddable(plot.GetSvgXml(width, height), width, height);
    }

    /// <summary>Inline: no XML declaration, a viewBox so CSS can scale it, and a font fallback.</summary>
    private static string Embeddable(string svg, int width, int height)
    {
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return svg[start..]
            .Replace("<svg ", string.Create(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {width} {height}\" "), StringComparison.Ordinal)
            .Replace($"font-family=\"{Font}\"", $"font-family=\"{Font}, Arial, Helvetica, sans-serif\"", StringComparison.Ordinal);
    }
}
