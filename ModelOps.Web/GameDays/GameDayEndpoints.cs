using System.Security.Claims;
using ModelOps.Core.Common;
using ModelOps.Core.GameDays;
using ModelOps.Web.Hosting;
using ModelOps.Web.Identity;

namespace ModelOps.Web.GameDays;

/// <summary>Game days (api-contract.md, Chaos): start a drill (Operator), list drills and read one with its times and score.</summary>
public static class GameDayEndpoints
{
    public static IEndpointRouteBuilder MapGameDayEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/gamedays").RequireAuthorization(Policies.Reviewer).WithTags("GameDays");
        group.MapPost("/", StartAsync).RequireAuthorization(Policies.Operator);
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        return app;
    }

    /// <summary>Starts the drill's rollout and its Quartz job, hands the drill to the worker, and answers 202 at once.</summary>
    private static async Task<IResult> StartAsync(GameDayRequest request, GameDayLauncher launcher, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var started = await launcher.StartAsync(request, user.Identity?.Name ?? "unknown", cancellationToken);
        return started.IsSuccess
            ? TypedResults.Accepted($"/api/gamedays/{started.Value.Id}", started.Value)
            : started.Error.ToProblem();
    }

    private static async Task<IResult> ListAsync(string? model, GameDayService gameDays, CancellationToken cancellationToken) =>
        TypedResults.Ok((await gameDays.ListAsync(model, cancellationToken)).Select(GameDayView.From).ToList());

    private static async Task<IResult> GetAsync(string id, GameDayService gameDays, CancellationToken cancellationToken) =>
        await gameDays.FindAsync(id, cancellationToken) is { } result
            ? TypedResults.Ok(GameDayView.From(result))
            : Error.NotFound($"No game day '{id}'; GET /api/gamedays lists them.").ToProblem();
}
