using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Rollouts.Preflight;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Web.Hosting;
using ModelOps.Web.Identity;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// Rollouts (api-contract.md). So far: the guardrail template and the preflight a CI pipeline runs
/// before a deploy; starting, judging and rolling back rollouts come with the rollout engine.
/// </summary>
public static class RolloutEndpoints
{
    public static IEndpointRouteBuilder MapRolloutEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/rollouts").RequireAuthorization(Policies.Reviewer).WithTags("Rollouts");
        group.MapGet("/templates/default", () => TypedResults.Ok(new GuardrailTemplate(GuardrailTemplates.Default)));
        group.MapPost("/preflight", PreflightAsync).RequireAuthorization(Policies.Operator);
        return app;
    }

    /// <summary>200 with every check when all pass; 409 problem+json with the same list otherwise; 400 for a plan that is not valid.</summary>
    private static async Task<IResult> PreflightAsync(
        RolloutRequest request, ModelOpsDbContext db, RolloutPreflight preflight, CancellationToken cancellationToken)
    {
        var champion = request.Model is null ? null : await db.Set<ModelAlias>().AsNoTracking()
            .Where(a => a.Model == request.Model && a.Alias == TrafficRouter.ChampionAlias)
            .Select(a => (int?)a.Version)
            .SingleOrDefaultAsync(cancellationToken);
        var plan = RolloutPlanner.Plan(request, champion);
        if (!plan.IsSuccess)
        {
            return plan.Error.ToProblem();
        }

        var checks = await preflight.RunAsync(plan.Value, cancellationToken);
        if (checks.All(c => c.Ok))
        {
            return TypedResults.Ok(new PreflightResponse(checks));
        }

        var failed = checks.Where(c => !c.Ok).Select(c => c.Name);
        return TypedResults.Problem(
            $"Preflight failed: {string.Join(", ", failed)}. Each check's detail says what to fix.",
            statusCode: StatusCodes.Status409Conflict,
            title: "Preflight failed",
            extensions: new Dictionary<string, object?> { ["checks"] = checks });
    }
}
