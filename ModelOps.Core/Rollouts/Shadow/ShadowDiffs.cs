using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModelOps.Core.Common;
using ModelOps.Core.Divergence;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Plans;

namespace ModelOps.Core.Rollouts.Shadow;

/// <summary>
/// A shadow rollout's divergence report and the <c>advance</c> command behind its gate. The report
/// is computed from the mirrored pairs by the evaluator's look, at most every
/// <see cref="ShadowDiffOptions.RefreshSeconds"/>, and stored (<see cref="ShadowDiffSnapshot"/>);
/// reads serve the stored one, so a busy console does not re-read the inference log. While
/// shadowing with a <c>shadow.maxDiff</c>, a segment of the stored report flipping more decisions
/// than allowed refuses the move to canary (409 naming it); with none stored yet it is computed
/// once. Otherwise the command goes to <see cref="RolloutService"/>.
/// </summary>
public sealed class ShadowDiffs(ModelOpsDbContext db, IShadowPairs pairs, RolloutService rollouts, IOptions<ShadowDiffOptions> options, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The stored report of a shadow-strategy rollout (with <c>ComputedAt</c>); null for other strategies or before the first look.</summary>
    public async Task<DivergenceReport?> StoredAsync(Rollout rollout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        if (rollout.Strategy != nameof(RolloutStrategy.Shadow))
        {
            return null;
        }

        var stored = await db.Set<ShadowDiffSnapshot>().AsNoTracking().SingleOrDefaultAsync(s => s.RolloutId == rollout.Id, cancellationToken);
        return stored is null ? null : JsonSerializer.Deserialize<DivergenceReport>(stored.ReportJson, Json)! with { ComputedAt = stored.ComputedAt }; // written by StoreAsync below
    }

    /// <summary>The evaluator's look: recomputes and stores the report of a shadowing rollout when none is stored or the stored one is older than <c>RefreshSeconds</c>.</summary>
    public async Task RefreshAsync(Rollout rollout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        if (rollout is not { Strategy: nameof(RolloutStrategy.Shadow), State: RolloutStates.Shadowing })
        {
            return;
        }

        var computedAt = await db.Set<ShadowDiffSnapshot>().AsNoTracking().Where(s => s.RolloutId == rollout.Id).Select(s => (DateTimeOffset?)s.ComputedAt).SingleOrDefaultAsync(cancellationToken);
        if (computedAt is null || time.GetUtcNow() - computedAt >= TimeSpan.FromSeconds(options.Value.RefreshSeconds))
        {
            await StoreAsync(rollout, cancellationToken);
        }
    }

    private async Task<DivergenceReport?> StoreAsync(Rollout rollout, CancellationToken cancellationToken)
    {
        if (await ComputeAsync(rollout, cancellationToken) is not { } report)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var json = JsonSerializer.Serialize(report, Json);
        var updated = await db.Set<ShadowDiffSnapshot>().Where(s => s.RolloutId == rollout.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ReportJson, json).SetProperty(s => s.ComputedAt, now), cancellationToken);
        if (updated == 0)
        {
            db.Add(new ShadowDiffSnapshot { RolloutId = rollout.Id, ComputedAt = now, ReportJson = json });
            await db.SaveChangesAsync(cancellationToken);
        }

        return report with { ComputedAt = now };
    }

    /// <summary>The report of a shadow-strategy rollout read afresh from the mirrored pairs; null for other strategies.</summary>
    private async Task<DivergenceReport?> ComputeAsync(Rollout rollout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        if (rollout.Strategy != nameof(RolloutStrategy.Shadow))
        {
            return null;
        }

        var versions = await db.Set<ModelVersion>().AsNoTracking()
            .Where(v => v.Model == rollout.Model && (v.Version == rollout.CandidateVersion || v.Version == rollout.BaselineVersion)).ToListAsync(cancellationToken);
        var candidate = versions.SingleOrDefault(v => v.Version == rollout.CandidateVersion);
        var baseline = versions.SingleOrDefault(v => v.Version == rollout.BaselineVersion);
        var encoder = await EncoderAsync(baseline ?? candidate, cancellationToken);
        var read = await pairs.ReadAsync(rollout.Model, rollout.BaselineVersion, rollout.CandidateVersion, rollout.StartedAt, encoder, options.Value.MaxPairs, cancellationToken);
        return DivergenceReporter.Build(read, DecisionThreshold.Of(candidate?.DecisionThreshold, baseline?.DecisionThreshold), options.Value.MinSamples);
    }

    public async Task<Result<(Rollout Rollout, RolloutTransition Transition)>> AdvanceAsync(string id, string? reason, string actor, CancellationToken cancellationToken)
    {
        var rollout = await rollouts.FindAsync(id, cancellationToken);
        if (rollout is { State: RolloutStates.Shadowing } && RolloutPlanJson.Read(rollout.PlanJson) is { ShadowMaxDiff: { } maxDiff }
            && (await StoredAsync(rollout, cancellationToken) ?? await StoreAsync(rollout, cancellationToken)) is { } report
            && ShadowDiffGate.Judge(report, maxDiff) is { Allowed: false } verdict)
        {
            return Error.Conflict($"v{rollout.CandidateVersion} may not take live traffic yet: {verdict.Reason} Keep shadowing and look at GET /api/rollouts/{id} (shadowDiff), or roll back.");
        }

        return await rollouts.CommandAsync(id, RolloutCommand.Advance, reason, actor, cancellationToken);
    }

    private async Task<FeatureEncoderSpec?> EncoderAsync(ModelVersion? version, CancellationToken cancellationToken)
    {
        if (version is not { EncoderName: { } name, EncoderVersion: { } number })
        {
            return null;
        }

        var stored = await db.Set<FeatureEncoderVersion>().AsNoTracking().SingleOrDefaultAsync(e => e.Name == name && e.Version == number, cancellationToken);
        return stored is null ? null : FeatureEncoderSpec.Parse(stored.SpecJson) is { IsSuccess: true } spec ? spec.Value : null;
    }
}
