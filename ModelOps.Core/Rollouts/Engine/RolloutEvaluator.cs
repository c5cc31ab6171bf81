using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>
/// One look at one active rollout: the measurements of both arms since the previous look go
/// through the judge for each guardrail, continuing the sequential tests stored on the rollout;
/// the new state and verdicts are stored (a conditional update on the concurrency token, so a look
/// taken on a state that changed meanwhile is dropped, not written); then <see cref="RolloutPolicy"/>
/// decides and the engine acts (actor <see cref="Actor"/>). Run by the rollout's Quartz job every
/// <c>ModelOps:Gates:IntervalSeconds</c>.
/// </summary>
public sealed partial class RolloutEvaluator(IServiceScopeFactory scopes, IRolloutMeasurements measurements, TimeProvider time, ILogger<RolloutEvaluator> logger)
{
    public const string Actor = "modelops-judge";

    // Registered metrics never change, so a rollout's references are read once, not at every look.
    private readonly ConcurrentDictionary<string, RolloutReferences> _references = new(StringComparer.Ordinal);

    /// <summary>Looks at every active rollout once.</summary>
    public async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        List<string> active;
        await using (var scope = scopes.CreateAsyncScope())
        {
            active = await scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Set<Rollout>()
                .Where(r => RolloutStates.Active.Contains(r.State)).Select(r => r.Id).ToListAsync(cancellationToken);
        }

        foreach (var id in active)
        {
            await EvaluateAsync(id, cancellationToken);
        }
    }

    /// <summary>Looks at one rollout; false when it is no longer active (its job can stop).</summary>
    public async Task<bool> EvaluateAsync(string rolloutId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<ModelOpsDbContext>();
        var rollout = await db.Set<Rollout>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == rolloutId, cancellationToken);
        if (rollout is null || !RolloutStates.IsActive(rollout.State) || RolloutPlanJson.Read(rollout.PlanJson) is not { } plan)
        {
            _references.TryRemove(rolloutId, out _);
            return false;
        }

        if (!_references.TryGetValue(rollout.Id, out var references))
        {
            references = _references[rollout.Id] = await ReferencesAsync(db, rollout, cancellationToken);
        }

        var record = Look(rollout, plan, references);
        if (record is not null)
        {
            var json = record.Write();
            var stored = await db.Set<Rollout>()
                .Where(r => r.Id == rollout.Id && r.ConcurrencyToken == rollout.ConcurrencyToken)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.JudgeJson, json).SetProperty(r => r.EvaluatedAt, record.LastLook), cancellationToken);
            if (stored == 0)
            {
                // The fence: Quartz's ownership of the job is not one (a replica that stalled past its
                // check-in wakes still running the look it began); the token is.
                Log.Dropped(logger, rollout.Id);
                return true; // decided meanwhile by someone else: the next look starts from what they stored
            }

            rollout.JudgeJson = json;
        }

        // Before the policy: a shadow rollout's stored divergence report is what advance is judged on.
        await services.GetRequiredService<Shadow.ShadowDiffs>().RefreshAsync(rollout, cancellationToken);
        var judged = JudgeRecord.Read(rollout.JudgeJson);
        var approvals = await db.Set<RolloutApproval>().AsNoTracking().Where(a => a.RolloutId == rollout.Id).ToListAsync(cancellationToken);
        var action = RolloutPolicy.Next(rollout, plan, judged?.Verdicts ?? [], approvals, time.GetUtcNow(), judged?.Regions);
        await ActAsync(services, rollout, action, cancellationToken);
        return true;
    }

    private async Task ActAsync(IServiceProvider services, Rollout rollout, RolloutAction action, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case RolloutAction.Rollback rollback:
                var rolledBack = await services.GetRequiredService<RolloutRollbacks>().RollbackAsync(rollout.Id, rollback.Trigger, cancellationToken);
                Log.Acted(logger, rollout.Id, "rollback", rollback.Trigger.Reason, rolledBack.IsSuccess ? rolledBack.Value.Transition.Detail : rolledBack.Error.Detail);
                break;
            case RolloutAction.RaiseApproval raise:
                var raised = await services.GetRequiredService<RolloutApprovals>().RaiseAsync(rollout.Id, raise.Request, cancellationToken);
                Log.Acted(logger, rollout.Id, "approval", raise.Request.Reason, raised.IsSuccess ? raised.Value.Id : raised.Error.Detail);
                break;
            case RolloutAction.Advance advance:
                var advanced = await services.GetRequiredService<RolloutService>().AdvanceAsync(rollout.Id, advance.FromStep, Actor, cancellationToken);
                Log.Acted(logger, rollout.Id, "advance", $"step {advance.FromStep + 1} baked", advanced.IsSuccess ? advanced.Value.State : advanced.Error.Detail);
                break;
            case RolloutAction.StepDown down:
                var stepped = await services.GetRequiredService<RolloutRollbacks>().StepDownAsync(rollout.Id, down.FromHold, Actor, cancellationToken);
                Log.Acted(logger, rollout.Id, "stepDown", $"hold {down.FromHold + 1} passed", stepped.IsSuccess ? stepped.Value.State : stepped.Error.Detail);
                break;
        }
    }

    /// <summary>Judges every guardrail once on the seconds since the last look; null when no whole second has passed.</summary>
    private JudgeRecord? Look(Rollout rollout, RolloutPlan plan, RolloutReferences references)
    {
        // Whole seconds only: the store's one-second buckets are read once each, when complete
        // (across replicas: once every live replica has published them).
        var now = measurements.JudgeableBefore(WholeSecond(time.GetUtcNow()));
        var stored = JudgeRecord.Read(rollout.JudgeJson);
        var states = stored is { } s && s.States.Count == plan.Guardrails.Count ? s.States : [.. Enumerable.Repeat(GuardrailState.Initial, plan.Guardrails.Count)];
        var shadowing = rollout.State == RolloutStates.Shadowing || rollout.ResumeState == RolloutStates.Shadowing;
        // The split traffic was served under: a soft trigger's step-down returns to the previous
        // step's split, whose strata it then continues (same weight, same test).
        var effective = RolloutSplits.EffectiveStep(plan, rollout);
        var step = rollout.State == RolloutStates.RollingBack ? 1_000 + (rollout.RollbackStepIndex ?? 0) : effective;
        var weight = shadowing ? 0 : rollout.State == RolloutStates.RollingBack
            ? Math.Min(plan.RollbackSteps[rollout.RollbackStepIndex ?? 0].Weight, RolloutSplits.CandidateWeight(plan, rollout.StepIndex)) / 100.0
            : RolloutSplits.CandidateWeight(plan, effective) / 100.0;

        // Only seconds served wholly under this step's split, as live here (see StepWindow).
        var from = StepWindow.MeasureFrom(
            rollout.StepStartedAt ?? rollout.StartedAt, stored?.LastLook, measurements.Live(rollout.Model), rollout.CandidateVersion, weight * 100, shadowing, time.GetUtcNow());
        if (from is not { } lastLook || now <= lastLook)
        {
            return null;
        }

        foreach (var guardrail in plan.Guardrails)
        {
            if (guardrail is { SegmentBy: not null, SegmentCount: > 0 })
            {
                measurements.TrackSegments(rollout.Model, SegmentCardinality.Dimension(guardrail));
            }
        }

        var drift = DriftReference(rollout, plan, stored);
        if (drift is { Count: > 0 })
        {
            references = references with { FeatureReferenceBins = drift };
        }

        var baseline = measurements.Measure(rollout.Model, rollout.BaselineVersion, Arm.Baseline, lastLook, now);
        var candidate = measurements.Measure(rollout.Model, rollout.CandidateVersion, shadowing ? Arm.Shadow : Arm.Candidate, lastLook, now);
        var evaluation = new Evaluation(now, step, weight, weight >= 1 ? null : baseline, candidate, references);
        var (next, latest) = JudgeAll(plan, evaluation, states);
        var regional = shadowing || rollout.State == RolloutStates.RollingBack ? null : LookPerRegion(rollout, plan, effective, references, stored, (lastLook, now));
        return new JudgeRecord(now, next, latest, regional, drift is { Count: > 0 } ? drift : null);
    }

    /// <summary>
    /// The pre-rollout reference of every feature a drift_psi guardrail judges: the stored one, or
    /// else the rollback target's histogram over the longest such guardrail's window before the
    /// rollout started, read from the store (empty when the store no longer holds those seconds,
    /// e.g. after a restart before the first look: drift is then insufficient data, never judged
    /// against a reference taken during the rollout).
    /// </summary>
    private Dictionary<string, IReadOnlyList<long>>? DriftReference(Rollout rollout, RolloutPlan plan, JudgeRecord? stored)
    {
        var features = plan.Guardrails.Where(g => g is { Metric: GuardrailMetric.DriftPsi, Feature: not null }).ToList();
        if (features.Count == 0)
        {
            return null;
        }

        if (stored?.DriftReference is { Count: > 0 } kept)
        {
            return new Dictionary<string, IReadOnlyList<long>>(kept, StringComparer.Ordinal);
        }

        var window = TimeSpan.FromSeconds(features.Max(g => g.WindowSeconds));
        var before = measurements.Measure(rollout.Model, rollout.BaselineVersion, Arm.Baseline, rollout.StartedAt - window, rollout.StartedAt);
        var reference = new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal);
        foreach (var feature in features.Select(g => g.Feature!).Distinct(StringComparer.Ordinal))
        {
            if (before.Features?.GetValueOrDefault(feature) is { Bins: { Count: > 0 } bins } && bins.Sum() > 0)
            {
                reference[feature] = bins;
            }
        }

        return reference;
    }

    /// <summary>
    /// For a plan that opens regions on their own: every guardrail judged again on each region's
    /// traffic alone — baseline and candidate of the same region, at the candidate's weight there —
    /// so a region's own latency or KPI is compared with itself, not with the mix of regions the
    /// candidate happens not to serve yet. A region not open yet keeps its last verdicts, at weight 0.
    /// </summary>
    private List<RegionJudgement>? LookPerRegion(Rollout rollout, RolloutPlan plan, int effective, RolloutReferences references, JudgeRecord? stored, (DateTimeOffset From, DateTimeOffset To) span)
    {
        if (!RolloutSplits.IsRegional(plan))
        {
            return null;
        }

        measurements.TrackRegions(rollout.Model);
        var weights = RolloutSplits.RegionWeights(plan, effective);
        var fallback = RolloutSplits.CandidateWeight(plan, effective);
        var regions = plan.Steps.SelectMany(s => s.Regions).Concat(measurements.Regions(rollout.Model)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var result = new List<RegionJudgement>();
        foreach (var region in regions)
        {
            var weight = weights is not null && weights.TryGetValue(region, out var own) ? own : fallback;
            var previous = stored?.Regions?.FirstOrDefault(r => r.Region == region);
            var states = previous is { } p && p.States.Count == plan.Guardrails.Count ? p.States : [.. Enumerable.Repeat(GuardrailState.Initial, plan.Guardrails.Count)];
            if (weight <= 0)
            {
                result.Add(new RegionJudgement(region, 0, states, previous?.Verdicts ?? []));
                continue;
            }

            var baseline = measurements.Measure(rollout.Model, rollout.BaselineVersion, Arm.Baseline, span.From, span.To, region);
            var candidate = measurements.Measure(rollout.Model, rollout.CandidateVersion, Arm.Candidate, span.From, span.To, region);
            var evaluation = new Evaluation(span.To, effective, weight / 100.0, weight >= 100 ? null : baseline, candidate, references);
            var (next, latest) = JudgeAll(plan, evaluation, states);
            result.Add(new RegionJudgement(region, weight, next, latest));
        }

        return result;
    }

    private static (GuardrailState[] States, VerdictRecord[] Verdicts) JudgeAll(RolloutPlan plan, Evaluation evaluation, IReadOnlyList<GuardrailState> states)
    {
        var next = new GuardrailState[plan.Guardrails.Count];
        var latest = new VerdictRecord[plan.Guardrails.Count];
        for (var i = 0; i < plan.Guardrails.Count; i++)
        {
            var judged = GuardrailJudge.Evaluate(plan.Guardrails[i], evaluation, states[i]);
            (next[i], latest[i]) = (judged.State, VerdictRecord.From(judged.Verdict));
        }

        return (next, latest);
    }

    /// <summary>The registered offline metrics of both versions (what an offline guardrail compares); the drift reference is added per look (<see cref="DriftReference"/>).</summary>
    private static async Task<RolloutReferences> ReferencesAsync(ModelOpsDbContext db, Rollout rollout, CancellationToken cancellationToken)
    {
        var versions = await db.Set<ModelVersion>().AsNoTracking()
            .Where(v => v.Model == rollout.Model && (v.Version == rollout.CandidateVersion || v.Version == rollout.BaselineVersion))
            .ToListAsync(cancellationToken);
        var candidate = versions.Where(v => v.Version == rollout.CandidateVersion).Select(v => RegistryCatalog.ToView(v).Metrics).SingleOrDefault();
        var target = versions.Where(v => v.Version == rollout.BaselineVersion).Select(v => RegistryCatalog.ToView(v).Metrics).SingleOrDefault();
        var offline = new Dictionary<string, OfflineScores>(StringComparer.Ordinal);
        foreach (var (name, value) in candidate ?? new Dictionary<string, double>())
        {
            if (target?.TryGetValue(name, out var targetValue) == true)
            {
                offline[name] = new OfflineScores(value, targetValue);
            }
        }

        return RolloutReferences.None with { OfflineMetrics = offline };
    }

    private static DateTimeOffset WholeSecond(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {RolloutId}: {Action} ({Why}): {Outcome}")]
        public static partial void Acted(ILogger logger, string rolloutId, string action, string why, string outcome);

        [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {RolloutId} was decided elsewhere since this look read it (another replica or an operator); the look is dropped")]
        public static partial void Dropped(ILogger logger, string rolloutId);
    }
}
