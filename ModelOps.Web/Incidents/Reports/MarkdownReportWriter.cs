using System.Text;

namespace ModelOps.Web.Incidents.Reports;

/// <summary>A report as Markdown; charts are <c>data:image/svg+xml;base64</c> images, so the file needs nothing beside it.</summary>
public static class MarkdownReportWriter
{
    public static string Write(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var md = new StringBuilder().Append("# ").AppendLine(Inline(document.Title)).AppendLine();
        foreach (var block in document.Blocks)
        {
            switch (block)
            {
                case ReportBlock.Heading heading:
                    md.Append("## ").AppendLine(Inline(heading.Text));
                    break;
                case ReportBlock.Paragraph paragraph:
                    md.AppendLine(Inline(paragraph.Text));
                    break;
                case ReportBlock.Table table:
                    WriteTable(md, table);
                    break;
                case ReportBlock.Chart chart:
                    var data = Convert.ToBase64String(Encoding.UTF8.GetBytes(chart.Svg));
                    md.Append("![").Append(Inline(chart.Caption).Replace("]", "\\]", StringComparison.Ordinal))
                        .Append("](data:image/svg+xml;base64,").Append(data).AppendLine(")");
                    break;
            }

            md.AppendLine();
        }

        return md.ToString();
    }

    private static void WriteTable(StringBuilder md, ReportBlock.Table table)
    {
        md.Append("| ").AppendJoin(" | ", table.Headers.Select(Cell)).AppendLine(" |");
        md.Append('|').AppendJoin('|', table.Headers.Select(_ => " --- ")).AppendLine("|");
        foreach (var row in table.Rows)
        {
            md.Append("| ").AppendJoin(" | ", row.Select(Cell)).AppendLine(" |");
        }
    }

    /// <summary>One line, with the characters that would break a table cell or start markup escaped.</summary>
    private static string Cell(string text) => Inline(text).Replace("|", "\\|", StringComparison.Ordinal);

    private static string Inline(string text) =>
        text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
