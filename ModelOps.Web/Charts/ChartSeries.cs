namespace ModelOps.Web.Charts;

/// <summary>
/// One line of a chart (an arm and its version): x in seconds relative to the chart's origin (the end of a
/// live chart, negative = ago; the decision or trigger of an incident or approval), y per point (NaN where
/// the arm served nothing). <see cref="Low"/>/<see cref="High"/>, when set, are a confidence band drawn shaded around the line.
/// </summary>
public sealed record ChartSeries(string Label, double[] Seconds, double[] Values, double[]? Low = null, double[]? High = null);
