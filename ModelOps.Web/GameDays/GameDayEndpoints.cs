using System.Security.Claims;
using ModelOps.Core.Common;
using ModelOps.Core.GameDays;
using ModelOps.Web.Hosting;
using ModelOps.Web.Identity;
using ModelOps.Web.Rollouts;

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
    private static async Task<IResult> StartAsync(
        GameDayRequest request, GameDayService gameDays, RolloutJobs jobs, GameDayWorker worker, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var started = await gameDays.StartAsync(request, user.Identity?.Name ?? "unknown", cancellationToken);
        if (!started.IsSuccess)
        {
            return started.Error.ToProblem();
        }

        await jobs.ScheduleAsync(started.Value.RolloutId, cancellationToken);
        worker.Run(started.Value.Id);
        return TypedResults.Accepted($"/api/gamedays/{started.Value.Id}", new GameDayStarted(started.Value.Id, started.Value.RolloutId));
    }

    private static async Task<IResult> ListAsync(string? model, GameDayService gameDays, CancellationToken cancellationToken) =>
        TypedResults.Ok((await gameDays.ListAsync(model, cancellationToken)).Select(GameDayView.From).ToList());

    private static async Task<IResult> GetAsync(string id, GameDayService gameDays, CancellationToken cancellationToken) =>
        await gameDays.FindAsync(id, cancellationToken) is { } result
            ? TypedResults.Ok(GameDayView.From(result))
            : Error.NotFound($"No game day '{id}'; GET /api/gamedays lists them.").ToProblem();
}
