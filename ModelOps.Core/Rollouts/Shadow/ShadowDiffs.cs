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
/// A shadow rollout's divergence report, read afresh from the mirrored pairs on every request (so
/// it is as current as the inference log), and the <c>advance</c> command behind its gate: while
/// shadowing with a <c>shadow.maxDiff</c>, a segment flipping more decisions than allowed refuses
/// the move to canary (409 naming it); otherwise the command goes to <see cref="RolloutService"/>.
/// </summary>
public sealed class ShadowDiffs(ModelOpsDbContext db, IShadowPairs pairs, RolloutService rollouts, IOptions<ShadowDiffOptions> options)
{
    /// <summary>The report of a shadow-strategy rollout; null for other strategies.</summary>
    public async Task<DivergenceReport?> ReportAsync(Rollout rollout, CancellationToken cancellationToken)
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
            && await ReportAsync(rollout, cancellationToken) is { } report
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
