using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Common;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Rollouts.Preflight;
using ModelOps.Inference.Serving.Routing;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// Plans and preflights a rollout request, and starts it on its first step with its Quartz job:
/// what <c>POST /api/rollouts/preflight</c> and <c>POST /api/rollouts</c> do, shared with the
/// console's new-rollout wizard so both answer the same plan with the same checks.
/// </summary>
public sealed class RolloutLauncher(ModelOpsDbContext db, RolloutPreflight preflight, RolloutService rollouts, RolloutJobs jobs)
{
    /// <summary>The plan (null when the request is not valid: <see cref="PreflightOutcome.Invalid"/> says which field) and every check's result.</summary>
    public async Task<PreflightOutcome> PreflightAsync(RolloutRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var champion = request.Model is null ? null : await db.Set<ModelAlias>().AsNoTracking()
            .Where(a => a.Model == request.Model && a.Alias == TrafficRouter.ChampionAlias)
            .Select(a => (int?)a.Version)
            .SingleOrDefaultAsync(cancellationToken);
        var plan = RolloutPlanner.Plan(request, champion);
        if (plan.IsSuccess && plan.Value.Guardrails.Any(g => g.SegmentBy is not null))
        {
            plan = SegmentCardinality.Resolve(plan.Value, await CandidateEncoderAsync(plan.Value, cancellationToken));
        }

        if (!plan.IsSuccess)
        {
            return new PreflightOutcome(null, [], plan.Error);
        }

        return new PreflightOutcome(plan.Value, await preflight.RunAsync(plan.Value, cancellationToken), null);
    }

    /// <summary>The encoder paired with the candidate (what a segmented KPI guardrail's feature segments come from), or null.</summary>
    private async Task<FeatureEncoderSpec?> CandidateEncoderAsync(RolloutPlan plan, CancellationToken cancellationToken)
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

    /// <summary>Starts a plan whose preflight passed, and schedules its job.</summary>
    public async Task<Result<Rollout>> StartAsync(RolloutPlan plan, string actor, CancellationToken cancellationToken)
    {
        var started = await rollouts.StartAsync(plan, actor, cancellationToken);
        if (started.IsSuccess)
        {
            await jobs.ScheduleAsync(started.Value.Id, cancellationToken);
        }

        return started;
    }
}

/// <summary>
/// A preflight's answer. <see cref="Invalid"/> (the field at fault) when the request could not be
/// planned, then no check ran; otherwise every check, and <see cref="Passed"/> when all are ok.
/// </summary>
public sealed record PreflightOutcome(RolloutPlan? Plan, IReadOnlyList<PreflightCheck> Checks, Error? Invalid)
{
    public bool Passed => Invalid is null && Plan is not null && Checks.All(c => c.Ok);
}
