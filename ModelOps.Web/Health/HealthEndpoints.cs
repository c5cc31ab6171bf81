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

    private static Results<Ok, ProblemHttpResult> Ready(StartupState state) =>
        state.IsReady
            ? TypedResults.Ok()
            : TypedResults.Problem("Migrations or demo seeding are still running; retry shortly.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready");
}
