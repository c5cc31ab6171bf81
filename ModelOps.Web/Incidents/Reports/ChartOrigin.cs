namespace ModelOps.Web.Incidents.Reports;

/// <summary>What x = 0 of a chart drawn by <see cref="IncidentChart"/> is: the x-axis label and the legend of its vertical line.</summary>
public sealed record ChartOrigin(string AxisLabel, string Legend);
