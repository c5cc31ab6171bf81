namespace ModelOps.Web.Incidents.Reports;

/// <summary>One line of an incident chart: a label (arm and version) and its points, x in seconds from the decision.</summary>
public sealed record ChartLine(string Label, IReadOnlyList<double> Seconds, IReadOnlyList<double> Values);
