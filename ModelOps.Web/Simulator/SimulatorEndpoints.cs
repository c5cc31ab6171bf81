using System.Security.Claims;
using ModelOps.Core.Audit;
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

    private static async Task<Ok<SimulatorStatus>> StartAsync(double? requestsPerSecond, TrafficSimulator simulator, AuditTrail trail, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        simulator.Start(requestsPerSecond);
        await trail.AppendAsync(new AuditRecord(user.Identity?.Name ?? "unknown", "simulator.started", "simulator", new { simulator.Status.RequestsPerSecond }), cancellationToken);
        return TypedResults.Ok(simulator.Status);
    }

    private static async Task<Ok<SimulatorStatus>> StopAsync(TrafficSimulator simulator, AuditTrail trail, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        simulator.Stop();
        await trail.AppendAsync(new AuditRecord(user.Identity?.Name ?? "unknown", "simulator.stopped", "simulator"), cancellationToken);
        return TypedResults.Ok(simulator.Status);
    }
}
