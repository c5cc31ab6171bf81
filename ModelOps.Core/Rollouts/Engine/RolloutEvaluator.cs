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
/// One look at every progressing rollout: the measurements of both arms since the previous look
/// go through the judge for each guardrail; a hard guardrail whose failure has held for its
/// sustain time rolls the rollout back (actor <see cref="Actor"/>), a soft one pauses it for a
/// person to decide. Called by the scheduler every <c>ModelOps:Gates:IntervalSeconds</c>.
/// </summary>
public sealed partial class RolloutEvaluator(
    IServiceScopeFactory scopes, IRolloutMeasurements measurements, RolloutVerdicts verdicts, TimeProvider time, ILogger<RolloutEvaluator> logger)
{
    public const string Actor = "modelops-judge";

    // Registered metrics never change, so a rollout's references are read once, not at every look.
    private readonly ConcurrentDictionary<string, RolloutReferences> _references = new(StringComparer.Ordinal);

    public async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        var progressing = await db.Set<Rollout>().AsNoTracking().Where(r => r.State == RolloutStates.Progressing).ToListAsync(cancellationToken);
        foreach (var rollout in progressing)
        {
            var plan = RolloutPlanJson.Read(rollout.PlanJson);
            if (plan is null)
            {
                continue;
            }

            if (!_references.TryGetValue(rollout.Id, out var references))
            {
                references = _references[rollout.Id] = await ReferencesAsync(db, rollout, cancellationToken);
            }

            var trigger = Look(rollout, plan, references);
            var service = scope.ServiceProvider.GetRequiredService<RolloutService>();
            if (trigger is { } tripped)
            {
                var command = tripped.Hard ? RolloutCommand.Rollback : RolloutCommand.Pause;
                var done = await service.CommandAsync(rollout.Id, command, tripped.Reason, Actor, cancellationToken);
                Log.Triggered(logger, rollout.Id, command.ToString(), tripped.Reason, done.IsSuccess);
            }
            else if (BakedAndPassing(rollout, plan))
            {
                var advanced = await service.AdvanceAsync(rollout.Id, rollout.StepIndex, Actor, cancellationToken);
                Log.Advanced(logger, rollout.Id, rollout.StepIndex + 1, advanced.IsSuccess ? advanced.Value.State : advanced.Error.Detail);
            }
        }
    }

    /// <summary>Judges every guardrail once; returns the first sustained failure (hard before soft), if any.</summary>
    private (bool Hard, string Reason)? Look(Rollout rollout, RolloutPlan plan, RolloutReferences references)
    {
        // Whole seconds only: the store's one-second buckets are read once each, when complete.
        var now = WholeSecond(time.GetUtcNow());
        var entry = verdicts.Get(rollout.Id, plan.Guardrails.Count, WholeSecond(rollout.StartedAt));
        if (now <= entry.LastLook)
        {
            return null;
        }

        var baseline = measurements.Measure(rollout.Model, rollout.BaselineVersion, Arm.Baseline, entry.LastLook, now);
        var candidate = measurements.Measure(rollout.Model, rollout.CandidateVersion, Arm.Candidate, entry.LastLook, now);
        var weight = plan.Strategy == RolloutStrategy.Shadow ? 0 : plan.Steps[Math.Min(rollout.StepIndex, plan.Steps.Count - 1)].Weight / 100.0;
        var evaluation = new Evaluation(now, rollout.StepIndex, weight, weight >= 1 ? null : baseline, candidate, references);
        var states = new GuardrailState[plan.Guardrails.Count];
        var latest = new Verdict[plan.Guardrails.Count];
        for (var i = 0; i < plan.Guardrails.Count; i++)
        {
            var judged = GuardrailJudge.Evaluate(plan.Guardrails[i], evaluation, entry.States[i]);
            (states[i], latest[i]) = (judged.State, judged.Verdict);
        }

        verdicts.Set(rollout.Id, new RolloutVerdicts.Entry(states, latest, now));
        var sustained = plan.Guardrails.Zip(latest).Where(p => p.Second.Sustained).OrderBy(p => p.First.Severity).FirstOrDefault();
        return sustained.Second is { } verdict
            ? (sustained.First.Severity == GuardrailSeverity.Hard, $"automatic: {verdict.Metric.ToWire()} failed for {sustained.First.SustainSeconds} s — {verdict.Reason}")
            : null;
    }

    /// <summary>
    /// The step's bake time has passed and every guardrail that can be judged now passes. With no
    /// baseline alongside (a 100 % step) only limits can be judged: a threshold-only guardrail and
    /// sample-ratio mismatch do not hold the rollout back there.
    /// </summary>
    private bool BakedAndPassing(Rollout rollout, RolloutPlan plan)
    {
        if (plan.Strategy == RolloutStrategy.Shadow || plan.Steps.Count == 0)
        {
            return false;
        }

        var step = plan.Steps[Math.Min(rollout.StepIndex, plan.Steps.Count - 1)];
        if (time.GetUtcNow() - (rollout.StepStartedAt ?? rollout.StartedAt) < TimeSpan.FromSeconds(step.BakeSeconds))
        {
            return false;
        }

        var latest = verdicts.Latest(rollout.Id);
        var full = step.Weight >= 100;
        return latest.Count == plan.Guardrails.Count
            && plan.Guardrails.Zip(latest).All(p => p.Second.Status == VerdictStatus.Pass || (full && p.First.Limit is null && p.First.Metric != GuardrailMetric.Offline));
    }

    /// <summary>The registered offline metrics of both versions (what an offline guardrail compares); no drift reference yet.</summary>
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
        [LoggerMessage(Level = LogLevel.Warning, Message = "Rollout {RolloutId}: {Command} triggered ({Reason}); applied: {Applied}")]
        public static partial void Triggered(ILogger logger, string rolloutId, string command, string reason, bool applied);

        [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {RolloutId}: step {Step} baked with every guardrail passing; now {Outcome}")]
        public static partial void Advanced(ILogger logger, string rolloutId, int step, string outcome);
    }
}
