using System.Security.Claims;
using ModelOps.Web.Identity;

namespace ModelOps.Web.Simulator;

/// <summary>Start and stop demo traffic (Operator, audited) and read its counters.</summary>
public static class SimulatorEndpoints
{
    public static IEndpointRouteBuilder MapSimulatorEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/simulator").RequireAuthorization(Policies.Reviewer).WithTags("Simulator");
        group.MapGet("/", (TrafficSimulator simulator) => TypedResults.Ok(simulator.Status));
        group.MapPost("/start", StartAsync).RequireAuthorization(Policies.Operator);
        group.MapPost("/stop", StopAsync).RequireAuthorization(Policies.Operator);
        return app;
    }

    private static async Task<Ok<SimulatorStatus>> StartAsync(double? requestsPerSecond, SimulatorControl control, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(await control.StartAsync(ActorOf(user), requestsPerSecond, cancellationToken));

    private static async Task<Ok<SimulatorStatus>> StopAsync(SimulatorControl control, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(await control.StopAsync(ActorOf(user), cancellationToken));

    private static string ActorOf(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
