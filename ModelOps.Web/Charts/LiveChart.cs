using System.Globalization;
using ScottPlot;

namespace ModelOps.Web.Charts;

/// <summary>
/// Draws a live dashboard chart with ScottPlot core into an embeddable SVG string: every series on
/// the same axes (baseline and candidate together), an optional shaded confidence band, and a
/// vertical line per marker. Server-side (ScottPlot.Blazor is not available); the dashboard feed
/// calls it once per tick, never per circuit.
/// </summary>
public static class LiveChart
{
    /// <summary>Liberation Sans is metric-compatible with Arial, the browser's stand-in (see ServingChart).</summary>
    private const string Font = "Liberation Sans";

    private static readonly Color[] Palette = [new(0x1f, 0x77, 0xb4), new(0xff, 0x7f, 0x0e), new(0x2c, 0xa0, 0x2c), new(0x94, 0x67, 0xbd)];

    public static string Svg(string title, string unit, IReadOnlyList<LiveSeries> series, IReadOnlyList<ChartMarker> markers, double fromSeconds, int width = 560, int height = 230)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(markers);
        using var plot = new Plot();
        var top = 0.0;
        for (var i = 0; i < series.Count; i++)
        {
            var line = series[i];
            var color = Palette[i % Palette.Length];
            if (line.Low is { } low && line.High is { } high)
            {
                var band = Finite(line.Seconds, low, high);
                if (band.Count > 1)
                {
                    var fill = plot.Add.FillY([.. band.Select(p => p.X)], [.. band.Select(p => p.Y2)], [.. band.Select(p => p.Y1)]);
                    fill.FillStyle.Color = color.WithAlpha(0.18);
                    fill.LineStyle.Width = 0;
                    top = Math.Max(top, band.Max(p => p.Y2));
                }
            }

            var points = Finite(line.Seconds, line.Values, line.Values);
            if (points.Count == 0)
            {
                continue;
            }

            var scatter = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y1).ToArray());
            scatter.LegendText = line.Label;
            scatter.Color = color;
            scatter.MarkerSize = points.Count == 1 ? 5 : 0;
            scatter.LineWidth = 2;
            top = Math.Max(top, points.Max(p => p.Y1));
        }

        foreach (var marker in markers.Where(m => m.Seconds >= fromSeconds && m.Seconds <= 0))
        {
            var line = plot.Add.VerticalLine(marker.Seconds);
            (line.Color, line.LinePattern) = marker.Kind switch
            {
                ChartMarkerKind.Rollback => (Colors.Red, LinePattern.Solid),
                ChartMarkerKind.Trigger => (Colors.DarkOrange, LinePattern.Dashed),
                _ => (Colors.Gray, LinePattern.Dotted),
            };
            line.LineWidth = 1.5f;
            line.Text = marker.Label;
            line.LabelFontSize = 10;
        }

        plot.Axes.SetLimitsX(fromSeconds, 0);
        plot.Axes.SetLimitsY(top > 0 ? -top * 0.03 : -0.03, top > 0 ? top * 1.15 : 1);
        plot.Title(title);
        plot.XLabel("seconds ago");
        plot.YLabel(unit);
        plot.ShowLegend(Edge.Right);
        plot.Font.Set(Font);
        return Embeddable(plot.GetSvgXml(width, height), width, height);
    }

    private static List<(double X, double Y1, double Y2)> Finite(double[] x, double[] y1, double[] y2)
    {
        var points = new List<(double, double, double)>(x.Length);
        for (var i = 0; i < x.Length; i++)
        {
            if (double.IsFinite(y1[i]) && double.IsFinite(y2[i]))
            {
                points.Add((x[i], y1[i], y2[i]));
            }
        }

        return points;
    }

    /// <summary>Inline: no XML declaration, a viewBox so CSS can scale it, and a font fallback (as IncidentChart does).</summary>
    private static string Embeddable(string svg, int width, int height)
    {
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return svg[start..]
            .Replace("<svg ", string.Create(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {width} {height}\" "), StringComparison.Ordinal)
            .Replace($"font-family=\"{Font}\"", $"font-family=\"{Font}, Arial, Helvetica, sans-serif\"", StringComparison.Ordinal);
    }
}
