using System.Security.Claims;
using ModelOps.Core.Common;
using ModelOps.Core.Incidents;
using ModelOps.Core.Incidents.Replay;
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

        // Reviewer or Operator: the Reviewer policy admits both (and Approver, Admin); no traffic moves.
        group.MapPost("/{id}/close", CloseAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(string? model, string? status, IncidentService incidents, ReplayService replays, CancellationToken cancellationToken)
    {
        var list = await incidents.ListAsync(model, status, cancellationToken);
        var timelines = await incidents.TimelinesAsync(list, cancellationToken);
        var followUps = await incidents.FollowUpsAsync(list, withSeries: false, cancellationToken);
        var replayed = await replays.LatestAsync([.. list.Select(i => i.Id)], cancellationToken);
        return TypedResults.Ok(list.Select(incident => IncidentView.From(incident, timelines[incident.Id], followUps[incident.Id], replayed.GetValueOrDefault(incident.Id))).ToList());
    }

    private static async Task<IResult> GetAsync(string id, IncidentService incidents, ReplayService replays, CancellationToken cancellationToken) =>
        await incidents.FindAsync(id, cancellationToken) is { } incident
            ? TypedResults.Ok(await ViewAsync(incident, incidents, replays, cancellationToken))
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

    private static async Task<IResult> CloseAsync(string id, IncidentCloseRequest? body, IncidentService incidents, ReplayService replays, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var closed = await incidents.CloseAsync(id, body?.RootCause, user.Identity?.Name ?? "unknown", cancellationToken);
        return closed.IsSuccess
            ? TypedResults.Ok(await ViewAsync(closed.Value, incidents, replays, cancellationToken))
            : closed.Error.ToProblem();
    }

    /// <summary>One incident in full: its timeline, its follow-up with the series, and its latest replay.</summary>
    private static async Task<IncidentView> ViewAsync(Incident incident, IncidentService incidents, ReplayService replays, CancellationToken cancellationToken)
    {
        var followUp = (await incidents.FollowUpsAsync([incident], withSeries: true, cancellationToken))[incident.Id];
        var replay = (await replays.LatestAsync([incident.Id], cancellationToken)).GetValueOrDefault(incident.Id);
        return IncidentView.From(incident, await incidents.TimelineAsync(incident, cancellationToken), followUp, replay);
    }
}
