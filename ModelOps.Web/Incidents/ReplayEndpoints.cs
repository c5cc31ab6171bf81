using System.Security.Claims;
using ModelOps.Core.Identity;
using ModelOps.Core.Incidents.Replay;
using ModelOps.Web.Hosting;
using ModelOps.Web.Identity;

namespace ModelOps.Web.Incidents;

/// <summary>
/// An incident's replay of the candidate's traffic through the rollback target: cancel the
/// pending one, or queue it again. Reviewer or Operator (or Admin); no
/// traffic moves; both audited on the incident. Progress and the report are in
/// <c>GET /api/incidents/{id}</c> (<c>evidence.replay</c>).
/// </summary>
public static class ReplayEndpoints
{
    public static IEndpointRouteBuilder MapReplayEndpoints(this IEndpointRouteBuilder app)
    {
        // Reviewers and operators (not approvers): the brief of a reviewer, the tool of an operator.
        var group = app.MapGroup("/api/incidents").RequireAuthorization(p => p.RequireRole(Roles.Reviewer, Roles.Operator, Roles.Admin)).WithTags("Incidents");
        group.MapPost("/{id}/replay/cancel", CancelAsync);
        group.MapPost("/{id}/replay", RerunAsync);
        return app;
    }

    private static async Task<IResult> CancelAsync(string id, ReplayService replays, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var cancelled = await replays.CancelAsync(id, user.Identity?.Name ?? "unknown", cancellationToken);
        return cancelled.IsSuccess ? TypedResults.Ok(ReplayView.From(cancelled.Value)) : cancelled.Error.ToProblem();
    }

    private static async Task<IResult> RerunAsync(string id, ReplayService replays, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var queued = await replays.RerunAsync(id, user.Identity?.Name ?? "unknown", cancellationToken);
        return queued.IsSuccess
            ? TypedResults.Accepted($"/api/incidents/{id}", ReplayView.From(queued.Value))
            : queued.Error.ToProblem();
    }
}
