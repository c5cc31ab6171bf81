namespace ModelOps.Web.Charts;

/// <summary>A vertical line on a live chart at <see cref="Seconds"/> (relative to the chart's end): a step, a trigger or a rollback.</summary>
public sealed record ChartMarker(double Seconds, string Label, ChartMarkerKind Kind);
