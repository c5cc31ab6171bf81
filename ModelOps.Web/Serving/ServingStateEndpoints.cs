using System.Security.Claims;
using ModelOps.Core.Audit;
using ModelOps.Core.Common;
using ModelOps.Core.Serving.Caching;
using ModelOps.Inference.Serving;
using ModelOps.Inference.Serving.Caching;
using ModelOps.Inference.Serving.Calibration;
using ModelOps.Web.Hosting;
using ModelOps.Web.Identity;

namespace ModelOps.Web.Serving;

/// <summary>Per-version serving state operators manage: the prediction cache and the online calibration.</summary>
public static class ServingStateEndpoints
{
    public static IEndpointRouteBuilder MapServingStateEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").RequireAuthorization(Policies.Reviewer).WithTags("Serving state");
        group.MapGet("/serving/cache", (PredictionCache cache) => TypedResults.Ok(cache.Stats()));
        group.MapPost("/models/{name}/versions/{version:int}/cache/prewarm", PrewarmAsync).RequireAuthorization(Policies.Operator);
        group.MapGet("/models/{name}/versions/{version:int}/calibration", GetCalibrationAsync);
        group.MapPost("/models/{name}/versions/{version:int}/calibration/snapshots", SnapshotAsync).RequireAuthorization(Policies.Operator);
        group.MapPost("/calibration/snapshots/{id}/restore", RestoreAsync).RequireAuthorization(Policies.Operator);
        return app;
    }

    private static async Task<Results<Ok<PrewarmResult>, ProblemHttpResult>> PrewarmAsync(
        string name, int version, int? limit, ICachePrewarmer prewarmer, AuditTrail trail, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var take = limit ?? 1_000;
        if (take is < 1 or > 100_000)
        {
            return Error.Invalid("limit", $"limit {take} is outside 1..100000; pass how many recent inputs to replay.").ToProblem();
        }

        var added = await prewarmer.PrewarmAsync(name, version, take, cancellationToken);
        if (!added.IsSuccess)
        {
            return added.Error.ToProblem();
        }

        await trail.AppendAsync(new AuditRecord(Actor(user), "cache.prewarmed", $"model:{name}/versions/{version}", new { added = added.Value, limit = take }, name), cancellationToken);
        return TypedResults.Ok(new PrewarmResult(name, version, added.Value));
    }

    private static async Task<Ok<CalibrationView>> GetCalibrationAsync(
        string name, int version, CalibrationRegistry registry, CalibrationSnapshots snapshots, CancellationToken cancellationToken) =>
        TypedResults.Ok(new CalibrationView(name, version, registry.IsEnabled(name), registry.Get(name, version), await snapshots.ListAsync(name, version, cancellationToken)));

    private static async Task<Results<Created<CalibrationSnapshotView>, ProblemHttpResult>> SnapshotAsync(
        string name, int version, SnapshotRequest? request, CalibrationSnapshots snapshots, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var taken = await snapshots.SnapshotAsync(name, version, Actor(user), request?.Reason, cancellationToken);
        return taken.IsSuccess
            ? TypedResults.Created($"/api/calibration/snapshots/{taken.Value.Id}", taken.Value)
            : taken.Error.ToProblem();
    }

    private static async Task<Results<Ok<CalibrationState>, ProblemHttpResult>> RestoreAsync(
        string id, CalibrationSnapshots snapshots, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var restored = await snapshots.RestoreAsync(id, Actor(user), cancellationToken);
        return restored.IsSuccess ? TypedResults.Ok(restored.Value) : restored.Error.ToProblem();
    }

    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
