using System.Security.Claims;
using ModelOps.Core.Serving.Chaos;
using ModelOps.Inference.Serving.Chaos;
using ModelOps.Web.Hosting;
using ModelOps.Web.Identity;

namespace ModelOps.Web.Chaos;

public static class ChaosEndpoints
{
    public static IEndpointRouteBuilder MapChaosEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/chaos").RequireAuthorization(Policies.Reviewer).WithTags("Chaos");
        group.MapGet("/", List);
        group.MapPost("/", SetAsync).RequireAuthorization(Policies.Operator);
        group.MapDelete("/", ClearAsync).RequireAuthorization(Policies.Operator);
        return app;
    }

    private static Ok<IReadOnlyList<ChaosFault>> List(ChaosBoard board) => TypedResults.Ok(board.All());

    private static async Task<Results<Ok<ChaosFault>, ProblemHttpResult>> SetAsync(
        ChaosFaultRequest request, ChaosService chaos, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var result = await chaos.SetAsync(request, Actor(user), cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error.ToProblem();
    }

    private static async Task<Results<Ok<ChaosCleared>, ProblemHttpResult>> ClearAsync(ChaosService chaos, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var result = await chaos.ClearAsync(Actor(user), cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(new ChaosCleared(result.Value.Count, result.Value)) : result.Error.ToProblem();
    }

    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
