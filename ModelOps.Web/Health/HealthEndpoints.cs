using ModelOps.Inference.Serving.Routing;
using ModelOps.Inference.Serving.Sessions;
using ModelOps.Web.Hosting;

namespace ModelOps.Web.Health;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v2/health").AllowAnonymous().WithTags("Health");
        group.MapGet("/live", () => TypedResults.Ok());
        group.MapGet("/ready", Ready);
        return app;
    }

    /// <summary>Unreachable: this replica's last database probe failed (PostgreSQL only).</summary>
    public const string DatabaseHeader = "X-ModelOps-Database";

    /// <summary>The models this replica serves with their rollout's candidate share on the rollback target, comma-separated.</summary>
    public const string DegradedRoutingHeader = "X-ModelOps-Degraded-Routing";

    /// <summary>
    /// Ready once start-up work is done and every version any routing table can send traffic to is
    /// warm and healthy. A replica without its database still answers, so it stays ready (200, the
    /// protocol's empty body); the degraded mode is named in two response headers instead.
    /// </summary>
    private static Results<Ok, ProblemHttpResult> Ready(StartupState state, RoutingTableHolder holder, SessionPool pool, LocalRoutingOverride overrides, HttpResponse response)
    {
        if (overrides.Contact is { Reachable: false })
        {
            response.Headers[DatabaseHeader] = "unreachable";
        }

        if (overrides.OverriddenModels(holder.Snapshot()) is { Count: > 0 } degraded)
        {
            response.Headers[DegradedRoutingHeader] = string.Join(",", degraded);
        }

        if (!state.IsReady)
        {
            return TypedResults.Problem("Migrations, demo seeding or warm-up are still running; retry shortly.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready");
        }

        var cold = holder.Snapshot().Values
            .SelectMany(table => pool.ColdVersions(table).Select(version => $"{table.Model} v{version}"))
            .ToList();
        return cold.Count == 0
            ? TypedResults.Ok()
            : TypedResults.Problem($"Routed version(s) not warm or unhealthy: {string.Join(", ", cold)}; see GET /v2/models/{{name}}/ready.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready");
    }
}
