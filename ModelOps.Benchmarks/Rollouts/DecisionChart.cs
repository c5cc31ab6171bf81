using ScottPlot;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// docs/judge.png: per method, the A/A false-rollback rate (x, log scale) against the median time
/// to rollback (y, log scale) on each regression row (small markers) and over all regression
/// rollouts (large); a rollout never rolled back counts as 7200 s.
/// </summary>
internal static class DecisionChart
{
    private static readonly DecisionMethod[] Methods = [DecisionMethod.Naive, DecisionMethod.Argo, DecisionMethod.Kayenta, DecisionMethod.Judge, DecisionMethod.Template];

    public static void Save(IReadOnlyList<RowResult> rows, string path)
    {
        using var plot = new Plot();
        var aa = rows.Where(r => r.Row.Kind == RowKind.AA).ToArray();
        var regressions = rows.Where(r => r.Row.Kind == RowKind.Regression).ToArray();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < Methods.Length; i++)
        {
            var method = Methods[i];
            var rolledBack = aa.Sum(r => r.RolledBack(method));
            var total = aa.Sum(r => r.Outcomes.Count);

            // Log axis by hand; a zero share is drawn at the Clopper-Pearson bound it is known to be under.
            var share = rolledBack > 0 ? (double)rolledBack / total : RowResult.UpperBound(0, total);
            var x = Math.Log10(share * 100);
            var perRow = regressions.Select(r => Math.Log10(r.Median(method, true) ?? 7200)).ToArray();
            var pooled = regressions.SelectMany(r => r.Outcomes).Select(o => Math.Log10(o.Methods[method].Rollback ?? 7200)).Order().ToArray();
            var color = palette.GetColor(i);
            var rowMarkers = plot.Add.ScatterPoints(perRow.Select(_ => x).ToArray(), perRow);
            rowMarkers.Color = color.WithAlpha(0.35);
            rowMarkers.MarkerSize = 6;
            var median = plot.Add.ScatterPoints(new[] { x }, new[] { pooled[pooled.Length / 2] });
            median.Color = color;
            median.MarkerSize = 14;
            median.LegendText = $"{method}{(rolledBack == 0 ? " (0 false rollbacks: drawn at the 95 % bound)" : "")}";
        }

        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var percent in new[] { 0.1, 0.3, 1, 3, 10, 30, 100 })
        {
            ticks.AddMajor(Math.Log10(percent), $"{percent} %");
        }

        var seconds = new ScottPlot.TickGenerators.NumericManual();
        foreach (var value in new[] { 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200 })
        {
            seconds.AddMajor(Math.Log10(value), value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Left.TickGenerator = seconds;
        plot.Axes.SetLimits(Math.Log10(0.05), Math.Log10(150), Math.Log10(4), Math.Log10(9000));
        plot.XLabel("A/A false rollbacks per 30-minute rollout (log scale)");
        plot.YLabel("median time to rollback, s (log scale)");
        plot.Title("Decision quality: false rollbacks vs detection time");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1000, 620);
    }
}
