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
        RolloutRequest request, ModelOpsDbContext db, RolloutPreflight preflight, RolloutService rollouts, RolloutJobs jobs, ITrafficRouter router, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var checkedPlan = await PlanAndCheckAsync(request, db, preflight, cancellationToken);
        if (checkedPlan.Problem is { } problem)
        {
            return problem;
        }

        var started = await rollouts.StartAsync(checkedPlan.Plan!, user.Identity?.Name ?? "unknown", cancellationToken);
        if (!started.IsSuccess)
        {
            return started.Error.ToProblem();
        }

        await jobs.ScheduleAsync(started.Value.Id, cancellationToken);
        return TypedResults.Created($"/api/rollouts/{started.Value.Id}", RolloutView.From(started.Value, router.Current(started.Value.Model)));
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
    private static async Task<IResult> PreflightAsync(
        RolloutRequest request, ModelOpsDbContext db, RolloutPreflight preflight, CancellationToken cancellationToken)
    {
        var checkedPlan = await PlanAndCheckAsync(request, db, preflight, cancellationToken);
        return checkedPlan.Problem ?? TypedResults.Ok(new PreflightResponse(checkedPlan.Checks));
    }

    /// <summary>The encoder paired with the candidate (what a segmented KPI guardrail's feature segments come from), or null.</summary>
    private static async Task<FeatureEncoderSpec?> CandidateEncoderAsync(ModelOpsDbContext db, RolloutPlan plan, CancellationToken cancellationToken)
    {
        var reference = await db.Set<ModelVersion>().AsNoTracking()
            .Where(v => v.Model == plan.Model && v.Version == plan.CandidateVersion)
            .Select(v => new { v.EncoderName, v.EncoderVersion })
            .SingleOrDefaultAsync(cancellationToken);
        if (reference is not { EncoderName: { } name, EncoderVersion: { } version })
        {
            return null;
        }

        var json = await db.Set<FeatureEncoderVersion>().AsNoTracking()
            .Where(e => e.Name == name && e.Version == version).Select(e => e.SpecJson).SingleOrDefaultAsync(cancellationToken);
        return json is not null && FeatureEncoderSpec.Parse(json) is { IsSuccess: true } parsed ? parsed.Value : null;
    }

    private static async Task<(RolloutPlan? Plan, IReadOnlyList<PreflightCheck> Checks, IResult? Problem)> PlanAndCheckAsync(
        RolloutRequest request, ModelOpsDbContext db, RolloutPreflight preflight, CancellationToken cancellationToken)
    {
        var champion = request.Model is null ? null : await db.Set<ModelAlias>().AsNoTracking()
            .Where(a => a.Model == request.Model && a.Alias == TrafficRouter.ChampionAlias)
            .Select(a => (int?)a.Version)
            .SingleOrDefaultAsync(cancellationToken);
        var plan = RolloutPlanner.Plan(request, champion);
        if (plan.IsSuccess && plan.Value.Guardrails.Any(g => g.SegmentBy is not null))
        {
            plan = SegmentCardinality.Resolve(plan.Value, await CandidateEncoderAsync(db, plan.Value, cancellationToken));
        }

        if (!plan.IsSuccess)
        {
            return (null, [], plan.Error.ToProblem());
        }

        var checks = await preflight.RunAsync(plan.Value, cancellationToken);
        if (checks.All(c => c.Ok))
        {
            return (plan.Value, checks, null);
        }

        var failed = checks.Where(c => !c.Ok).Select(c => c.Name);
        return (plan.Value, checks, TypedResults.Problem(
            $"Preflight failed: {string.Join(", ", failed)}. Each check's detail says what to fix.",
            statusCode: StatusCodes.Status409Conflict,
            title: "Preflight failed",
            extensions: new Dictionary<string, object?> { ["checks"] = checks }));
    }
}
