using System.Net;
using System.Text;

namespace ModelOps.Web.Incidents.Reports;

/// <summary>
/// A report as one HTML page: inline CSS and inline SVG charts, no scripts and no external
/// resources, so it opens from disk or an attachment exactly as exported.
/// </summary>
public static class HtmlReportWriter
{
    private const string Style = """
        body{font-family:"Liberation Sans",Arial,Helvetica,sans-serif;margin:2rem auto;max-width:70rem;color:#1b1b1b;line-height:1.4}
        h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
        table{border-collapse:collapse;margin:.5rem 0;font-size:.85rem}
        th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
        th{background:#f3f3f3}figure{margin:1rem 0}figure svg{width:100%;max-width:48rem;height:auto}
        figcaption{font-size:.85rem;color:#555}
        """;

    public static string Write(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var html = new StringBuilder()
            .AppendLine("<!DOCTYPE html>")
            .AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<title>").Append(Encode(document.Title)).AppendLine("</title>")
            .Append("<style>").Append(Style).AppendLine("</style></head><body>")
            .Append("<h1>").Append(Encode(document.Title)).AppendLine("</h1>");
        foreach (var block in document.Blocks)
        {
            switch (block)
            {
                case ReportBlock.Heading heading:
                    html.Append("<h2>").Append(Encode(heading.Text)).AppendLine("</h2>");
                    break;
                case ReportBlock.Paragraph paragraph:
                    html.Append("<p>").Append(Encode(paragraph.Text)).AppendLine("</p>");
                    break;
                case ReportBlock.Table table:
                    WriteTable(html, table);
                    break;
                case ReportBlock.Chart chart:
                    // The SVG comes from our own renderer (CanaryChart), not from input: it is trusted markup.
                    html.Append("<figure>").Append(chart.Svg).Append("<figcaption>").Append(Encode(chart.Caption)).AppendLine("</figcaption></figure>");
                    break;
            }
        }

        return html.AppendLine("</body></html>").ToString();
    }

    private static void WriteTable(StringBuilder html, ReportBlock.Table table)
    {
        html.Append("<table><thead><tr>");
        foreach (var header in table.Headers)
        {
            html.Append("<th>").Append(Encode(header)).Append("</th>");
        }

        html.AppendLine("</tr></thead><tbody>");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append("<td>").Append(Encode(cell)).Append("</td>");
            }

            html.AppendLine("</tr>");
        }

        html.AppendLine("</tbody></table>");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
