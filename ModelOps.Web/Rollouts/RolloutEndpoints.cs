using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Common;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Rollouts.Preflight;
using ModelOps.Core.Rollouts.Shadow;
using ModelOps.Core.Rollouts.Stability;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Web.Hosting;
using ModelOps.Web.Identity;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// Rollouts (api-contract.md): the guardrail template, the preflight a CI pipeline runs before a
/// deploy, starting a rollout on its first step (and its Quartz job), reading rollouts with the
/// judge's stored verdicts and their approvals, and the operator's commands. Approvals and soft
/// triggers from people and data are in <see cref="RolloutDecisionEndpoints"/>.
/// </summary>
public static class RolloutEndpoints
{
    public static IEndpointRouteBuilder MapRolloutEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/rollouts").RequireAuthorization(Policies.Reviewer).WithTags("Rollouts");
        group.MapGet("/templates/default", () => TypedResults.Ok(new GuardrailTemplate(GuardrailTemplates.Default)));
        group.MapPost("/preflight", PreflightAsync).RequireAuthorization(Policies.Operator);
        group.MapPost("/", StartAsync).RequireAuthorization(Policies.Operator);
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        foreach (var (verb, command) in new[] { ("rollback", RolloutCommand.Rollback), ("promote", RolloutCommand.Promote), ("pause", RolloutCommand.Pause), ("resume", RolloutCommand.Resume) })
        {
            group.MapPost($"/{{id}}/{verb}", (string id, RolloutCommandRequest? body, RolloutService rollouts, ITrafficRouter router, ClaimsPrincipal user, CancellationToken ct) =>
                CommandAsync(id, command, body, rollouts, router, user, ct)).RequireAuthorization(Policies.Operator);
        }

        group.MapPost("/{id}/advance", AdvanceAsync).RequireAuthorization(Policies.Operator);

        return app;
    }

    /// <summary>Plans, runs the preflight (409 listing every check on failure), then starts the rollout on its first step.</summary>
    private static async Task<IResult> StartAsync(
        RolloutRequest request, RolloutLauncher launcher, ITrafficRouter router, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var checkedPlan = await launcher.PreflightAsync(request, cancellationToken);
        if (Problem(checkedPlan) is { } problem)
        {
            return problem;
        }

        var started = await launcher.StartAsync(checkedPlan.Plan!, user.Identity?.Name ?? "unknown", cancellationToken); // Problem is null only for a plan.
        return started.IsSuccess
            ? TypedResults.Created($"/api/rollouts/{started.Value.Id}", RolloutView.From(started.Value, router.Current(started.Value.Model)))
            : started.Error.ToProblem();
    }

    private static async Task<IResult> ListAsync(string? model, string? state, RolloutService rollouts, ITrafficRouter router, CancellationToken cancellationToken)
    {
        var list = await rollouts.ListAsync(model, state, cancellationToken);
        return TypedResults.Ok(list.Select(r => RolloutView.From(r, LiveFor(r, router))));
    }

    private static async Task<IResult> GetAsync(
        string id, RolloutService rollouts, RolloutApprovals approvals, ChronicFailures chronicFailures, ShadowDiffs shadowDiffs, ITrafficRouter router, CancellationToken cancellationToken) =>
        await rollouts.FindAsync(id, cancellationToken) is { } rollout
            ? TypedResults.Ok(RolloutView.From(rollout, LiveFor(rollout, router), await approvals.ListAsync(rollout.Id, cancellationToken))
                with
            {
                ChronicallyFailing = await chronicFailures.OfModelAsync(rollout.Model, cancellationToken),
                ShadowDiff = await shadowDiffs.StoredAsync(rollout, cancellationToken),
            })
            : RolloutErrors.NotFound(id).ToProblem();

    /// <summary>A shadow rollout into its first canary step, refused while its shadow diff is above the plan's <c>shadow.maxDiff</c>.</summary>
    private static async Task<IResult> AdvanceAsync(
        string id, RolloutCommandRequest? body, ShadowDiffs shadowDiffs, ITrafficRouter router, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        Answer(await shadowDiffs.AdvanceAsync(id, body?.Reason, user.Identity?.Name ?? "unknown", cancellationToken), router);

    private static async Task<IResult> CommandAsync(
        string id, RolloutCommand command, RolloutCommandRequest? body, RolloutService rollouts, ITrafficRouter router, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var done = await rollouts.CommandAsync(id, command, body?.Reason, user.Identity?.Name ?? "unknown", cancellationToken);
        return Answer(done, router);
    }

    private static IResult Answer(Result<(Rollout Rollout, RolloutTransition Transition)> done, ITrafficRouter router)
    {
        if (!done.IsSuccess)
        {
            return done.Error.ToProblem();
        }

        var (rollout, transition) = done.Value;
        return TypedResults.Ok(new RolloutCommandResponse(RolloutView.From(rollout, LiveFor(rollout, router)), transition.Changed, transition.Detail));
    }

    /// <summary>The live split, shown while the rollout is the one that owns it.</summary>
    private static RoutingTable? LiveFor(Rollout rollout, ITrafficRouter router) =>
        RolloutStates.IsActive(rollout.State) ? router.Current(rollout.Model) : null;

    /// <summary>200 with every check when all pass; 409 problem+json with the same list otherwise; 400 for a plan that is not valid.</summary>
    private static async Task<IResult> PreflightAsync(RolloutRequest request, RolloutLauncher launcher, CancellationToken cancellationToken)
    {
        var checkedPlan = await launcher.PreflightAsync(request, cancellationToken);
        return Problem(checkedPlan) ?? TypedResults.Ok(new PreflightResponse(checkedPlan.Checks));
    }

    private static IResult? Problem(PreflightOutcome outcome)
    {
        if (outcome.Invalid is { } invalid)
        {
            return invalid.ToProblem();
        }

        if (outcome.Passed)
        {
            return null;
        }

        var failed = outcome.Checks.Where(c => !c.Ok).Select(c => c.Name);
        return TypedResults.Problem(
            $"Preflight failed: {string.Join(", ", failed)}. Each check's detail says what to fix.",
            statusCode: StatusCodes.Status409Conflict,
            title: "Preflight failed",
            extensions: new Dictionary<string, object?> { ["checks"] = outcome.Checks });
    }
}
