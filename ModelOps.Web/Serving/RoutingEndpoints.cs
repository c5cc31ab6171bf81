using System.Security.Claims;
using ModelOps.Core.Common;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Inference.Serving.Sessions;
using ModelOps.Web.Hosting;
using ModelOps.Web.Identity;

namespace ModelOps.Web.Serving;

/// <summary>
/// The routing table of a model as operators see and change it. A change names the generation
/// it was made on; if someone changed the table since, the second change gets 409.
/// </summary>
public static class RoutingEndpoints
{
    public static IEndpointRouteBuilder MapRoutingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/models/{name}/routing").RequireAuthorization(Policies.Reviewer).WithTags("Routing");
        group.MapGet("/", GetRouting);
        group.MapPut("/", ApplyRoutingAsync).RequireAuthorization(Policies.Operator);
        app.MapGet("/api/serving/sessions", (SessionPool pool) => TypedResults.Ok(pool.States())).RequireAuthorization(Policies.Reviewer).WithTags("Routing");
        return app;
    }

    private static Results<Ok<RoutingTableDocument>, ProblemHttpResult> GetRouting(string name, RoutingTableHolder holder) =>
        holder.Current(name) is { } table
            ? TypedResults.Ok(RoutingTableDocument.From(table))
            : Error.NotFound($"Model '{name}' has no routing table; point its champion alias at a version first.").ToProblem();

    private static async Task<Results<Ok<RoutingTableDocument>, ProblemHttpResult>> ApplyRoutingAsync(
        string name, ApplyRoutingRequest request, TrafficRouter router, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var live = router.Current(name);
        if (request.ExpectedGeneration is { } expected && live?.Generation != expected)
        {
            return Error.Conflict($"The routing table of '{name}' is at generation {live?.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, not {expected}; reload and apply your change on top of it.").ToProblem();
        }

        if (request.Weights is null || request.Weights.Count == 0)
        {
            return Error.Invalid("weights", "\"weights\" is missing; send e.g. [{ \"version\": 2, \"percent\": 90 }, { \"version\": 3, \"percent\": 10 }].").ToProblem();
        }

        var generation = (request.ExpectedGeneration ?? live?.Generation ?? 0) + 1;
        var table = RoutingTable.Create(name, generation, request.Weights, request.Regions, request.Shadow, request.BaselineVersion, request.CandidateVersion);
        if (!table.IsSuccess)
        {
            return table.Error.ToProblem();
        }

        var applied = await router.ApplyAsync(table.Value, user.Identity?.Name ?? "unknown", request.Reason ?? string.Empty, cancellationToken);
        return applied.IsSuccess ? TypedResults.Ok(RoutingTableDocument.From(applied.Value)) : applied.Error.ToProblem();
    }
}
