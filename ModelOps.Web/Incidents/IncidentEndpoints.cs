using System.Security.Claims;
using ModelOps.Core.Common;
using ModelOps.Core.Incidents;
using ModelOps.Web.Components.Pages.Incidents;
using ModelOps.Web.Hosting;
using ModelOps.Web.Identity;
using ModelOps.Web.Incidents.Reports;

namespace ModelOps.Web.Incidents;

/// <summary>Incidents (api-contract.md, Incidents and audit): list, one with its timeline, its report export, and closing with a root cause.</summary>
public static class IncidentEndpoints
{
    public static IEndpointRouteBuilder MapIncidentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/incidents").RequireAuthorization(Policies.Reviewer).WithTags("Incidents");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapGet("/{id}/report", ReportAsync);

        // Reviewer or Operator (and Admin), as the contract says; an Approver decides approvals, not root causes.
        group.MapPost("/{id}/close", CloseAsync).RequireAuthorization(p => p.RequireRole(IncidentAccess.CloseRoles));

        // The console downloads the report with its cookie; /api only takes bearer tokens.
        app.MapGet("/console/incidents/{id}/report", ReportAsync).RequireAuthorization(Policies.Reviewer).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ListAsync(string? model, string? status, IncidentViews views, CancellationToken cancellationToken) =>
        TypedResults.Ok((await views.ListAsync(model, status, cancellationToken)).Select(item => item.View).ToList());

    private static async Task<IResult> GetAsync(string id, IncidentViews views, CancellationToken cancellationToken) =>
        await views.GetAsync(id, cancellationToken) is { } detail
            ? TypedResults.Ok(detail.View)
            : Error.NotFound($"No incident '{id}'; GET /api/incidents lists them.").ToProblem();

    private static async Task<IResult> ReportAsync(string id, string? format, IncidentReports reports, CancellationToken cancellationToken)
    {
        var parsed = IncidentReportFormat.Parse(format);
        if (!parsed.IsSuccess)
        {
            return parsed.Error.ToProblem();
        }

        var report = await reports.ExportAsync(id, parsed.Value, cancellationToken);
        return report.IsSuccess
            ? TypedResults.Text(report.Value.Text, report.Value.ContentType)
            : report.Error.ToProblem();
    }

    private static async Task<IResult> CloseAsync(string id, IncidentCloseRequest? body, IncidentService incidents, IncidentViews views, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var closed = await incidents.CloseAsync(id, body?.RootCause, user.Identity?.Name ?? "unknown", cancellationToken);
        return closed.IsSuccess
            ? TypedResults.Ok((await views.DetailAsync(closed.Value, cancellationToken)).View)
            : closed.Error.ToProblem();
    }
}
