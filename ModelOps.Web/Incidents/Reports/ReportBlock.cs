namespace ModelOps.Web.Incidents.Reports;

/// <summary>
/// A piece of a report, independent of its output format: the builder decides what a report says,
/// the Markdown and HTML writers only how it looks, so both formats always say the same.
/// </summary>
public abstract record ReportBlock
{
    private ReportBlock()
    {
    }

    public sealed record Heading(string Text) : ReportBlock;

    public sealed record Paragraph(string Text) : ReportBlock;

    /// <summary>Cells are plain text; writers escape them.</summary>
    public sealed record Table(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows) : ReportBlock;

    /// <summary>An SVG document (<c>&lt;svg …&gt;…&lt;/svg&gt;</c>) with its caption.</summary>
    public sealed record Chart(string Caption, string Svg) : ReportBlock;
}
