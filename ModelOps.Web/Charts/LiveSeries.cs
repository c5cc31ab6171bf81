namespace ModelOps.Web.Charts;

/// <summary>
/// One line of a live chart: x in seconds relative to the chart's end (negative = ago), y per
/// point (NaN where the arm served nothing). <see cref="Low"/>/<see cref="High"/>, when set, are a
/// confidence band drawn shaded around the line.
/// </summary>
public sealed record LiveSeries(string Label, double[] Seconds, double[] Values, double[]? Low = null, double[]? High = null);
