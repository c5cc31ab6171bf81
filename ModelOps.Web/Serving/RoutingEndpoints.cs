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

    /// <summary>
    /// The table the database holds (as this replica last followed it). While this replica serves the
    /// model from a degraded-mode override (database out of reach, candidate share on the rollback
    /// target, here only) the response says so in <see cref="Health.HealthEndpoints.DegradedRoutingHeader"/>.
    /// </summary>
    private static Results<Ok<RoutingTableDocument>, ProblemHttpResult> GetRouting(string name, ITrafficRouter router, LocalRoutingOverride overrides, HttpResponse response)
    {
        if (router.Current(name) is not { } table)
        {
            return Error.NotFound($"Model '{name}' has no routing table; point its champion alias at a version first.").ToProblem();
        }

        if (overrides.Overrides(table))
        {
            response.Headers[Health.HealthEndpoints.DegradedRoutingHeader] = table.Model;
        }

        return TypedResults.Ok(RoutingTableDocument.From(table));
    }

    private static async Task<Results<Ok<RoutingTableDocument>, ProblemHttpResult>> ApplyRoutingAsync(
        string name, RoutingChange change, ITrafficRouter router, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var applied = await router.ChangeAsync(name, change, user.Identity?.Name ?? "unknown", cancellationToken);
        return applied.IsSuccess ? TypedResults.Ok(RoutingTableDocument.From(applied.Value)) : applied.Error.ToProblem();
    }
}
