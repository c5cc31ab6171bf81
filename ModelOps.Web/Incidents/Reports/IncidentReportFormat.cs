using ModelOps.Core.Common;

namespace ModelOps.Web.Incidents.Reports;

/// <summary>An export format of an incident report: its name in <c>?format=</c> and its content type.</summary>
public sealed record IncidentReportFormat(string Name, string ContentType, string Extension)
{
    public static readonly IncidentReportFormat Markdown = new("md", "text/markdown; charset=utf-8", "md");

    public static readonly IncidentReportFormat Html = new("html", "text/html; charset=utf-8", "html");

    /// <summary>Markdown when not given; anything but <c>md</c> or <c>html</c> is invalid, naming <c>format</c>.</summary>
    public static Result<IncidentReportFormat> Parse(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        null or "" or "md" or "markdown" => Markdown,
        "html" => Html,
        _ => Error.Invalid("format", $"format '{format}' is not supported: use format=md (Markdown, the default) or format=html."),
    };
}
