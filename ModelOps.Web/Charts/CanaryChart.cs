using System.Globalization;
using ScottPlot;

namespace ModelOps.Web.Charts;

/// <summary>
/// The one renderer of canary-vs-baseline charts — the dashboard's live charts, an incident's charts
/// around its decision (page and report) and an approval's evidence — so they read the same way. It
/// draws with ScottPlot core into an embeddable, self-contained SVG string: every series on the same
/// axes (baseline and candidate together), an optional shaded confidence band per series, a vertical
/// line per marker (step, trigger, rollback, or the chart's origin), and the frame's shaded span.
/// Server-side (ScottPlot.Blazor is not available); the dashboard feed calls it once per tick, never per circuit.
/// </summary>
public static class CanaryChart
{
    /// <summary>Liberation Sans is metric-compatible with Arial, the browser's stand-in (see ServingChart).</summary>
    private const string Font = "Liberation Sans";

    /// <summary>Category10 without its red: red lines are rollbacks and origins.</summary>
    private static readonly Color[] Palette = [new(0x1f, 0x77, 0xb4), new(0xff, 0x7f, 0x0e), new(0x2c, 0xa0, 0x2c), new(0x94, 0x67, 0xbd)];

    public static string Svg(string title, string unit, IReadOnlyList<ChartSeries> series, IReadOnlyList<ChartMarker> markers, ChartFrame frame, int width = 560, int height = 230)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(markers);
        ArgumentNullException.ThrowIfNull(frame);
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

        if (frame.Shaded is { } shaded && shaded.To > shaded.From)
        {
            var span = plot.Add.HorizontalSpan(shaded.From, shaded.To);
            span.FillStyle.Color = Colors.Green.WithAlpha(0.12);
            span.LineStyle.Width = 0;
            span.LegendText = shaded.Legend;
        }

        foreach (var marker in markers.Where(m => (frame.From is not { } from || m.Seconds >= from) && (frame.To is not { } to || m.Seconds <= to)))
        {
            Mark(plot, marker);
        }

        if (frame is { From: { } left, To: { } right })
        {
            plot.Axes.SetLimitsX(left, right);
        }
        else
        {
            plot.Axes.AutoScaleX();
        }

        // Every metric drawn here is non-negative: anchor the axis just under 0, so a flat zero reads as zero (not noise) and stays visible above the axis.
        plot.Axes.SetLimitsY(top > 0 ? -top * 0.03 : -0.03, top > 0 ? top * 1.15 : 1);
        plot.Title(title);
        plot.XLabel(frame.XLabel);
        plot.YLabel(unit);
        plot.ShowLegend(Edge.Right);
        plot.Font.Set(Font);
        return Embeddable(plot.GetSvgXml(width, height), width, height);
    }

    private static void Mark(Plot plot, ChartMarker marker)
    {
        var line = plot.Add.VerticalLine(marker.Seconds);
        (line.Color, line.LinePattern) = marker.Kind switch
        {
            ChartMarkerKind.Rollback => (Colors.Red, LinePattern.Solid),
            ChartMarkerKind.Origin => (Colors.Red, LinePattern.Dashed),
            ChartMarkerKind.Trigger => (Colors.DarkOrange, LinePattern.Dashed),
            _ => (Colors.Gray, LinePattern.Dotted),
        };
        line.LineWidth = 1.5f;
        if (marker.Kind == ChartMarkerKind.Origin)
        {
            // The chart's origin is named in the legend (as the x label counts from it), not over the lines.
            line.LegendText = marker.Label;
            return;
        }

        line.Text = marker.Label;
        line.LabelFontSize = 10;
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

    /// <summary>Inline: no XML declaration, a viewBox so CSS can scale it, and a font fallback.</summary>
    private static string Embeddable(string svg, int width, int height)
    {
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return svg[start..]
            .Replace("<svg ", string.Create(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {width} {height}\" "), StringComparison.Ordinal)
            .Replace($"font-family=\"{Font}\"", $"font-family=\"{Font}, Arial, Helvetica, sans-serif\"", StringComparison.Ordinal);
    }
}
