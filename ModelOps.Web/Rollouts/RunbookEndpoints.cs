using ModelOps.Core.Common;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Web.Hosting;
using ModelOps.Web.Identity;

namespace ModelOps.Web.Rollouts;

/// <summary><c>GET /api/rollouts/{id}/runbook</c>: the plan's one-page runbook as Markdown, for whoever may read the rollout.</summary>
public static class RunbookEndpoints
{
    public const string ContentType = "text/markdown; charset=utf-8";

    public static IEndpointRouteBuilder MapRolloutRunbook(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/rollouts").RequireAuthorization(Policies.Reviewer).WithTags("Rollouts");
        group.MapGet("/{id}/runbook", GetRunbookAsync);

        // The console downloads the runbook with its cookie; /api only takes bearer tokens.
        app.MapGet("/console/rollouts/{id}/runbook", GetRunbookAsync).RequireAuthorization(Policies.Reviewer).ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetRunbookAsync(
        string id, RolloutService rollouts, HttpRequest request, CancellationToken cancellationToken)
    {
        if (await rollouts.FindAsync(id, cancellationToken) is not { } rollout)
        {
            return RolloutErrors.NotFound(id).ToProblem();
        }

        // Stored only after RolloutPlanner validated it, so an unreadable plan is a bug, not a request error.
        var plan = RolloutPlanJson.Read(rollout.PlanJson)
            ?? throw new InvalidOperationException($"Rollout '{id}' has no readable plan.");
        var baseUrl = $"{request.Scheme}://{request.Host}{request.PathBase}";
        return TypedResults.Text(RolloutRunbook.Write(rollout.Id, plan, baseUrl), ContentType);
    }
}
