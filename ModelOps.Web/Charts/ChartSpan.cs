namespace ModelOps.Web.Charts;

/// <summary>A shaded stretch of x (e.g. an incident's verification window), named in the legend.</summary>
public sealed record ChartSpan(double From, double To, string Legend);
