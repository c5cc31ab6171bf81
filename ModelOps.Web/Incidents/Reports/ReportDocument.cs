namespace ModelOps.Web.Incidents.Reports;

/// <summary>A whole report: its title and its blocks in order.</summary>
public sealed record ReportDocument(string Title, IReadOnlyList<ReportBlock> Blocks);
