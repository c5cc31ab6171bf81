namespace ModelOps.Web.Incidents.Reports;

/// <summary>A rendered report: its text, content type and a file name to save it under.</summary>
public sealed record IncidentReportFile(string Text, string ContentType, string FileName);
