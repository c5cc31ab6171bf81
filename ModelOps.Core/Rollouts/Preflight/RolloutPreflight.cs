using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Serving;

namespace ModelOps.Core.Rollouts.Preflight;

/// <summary>
/// Every check a plan must pass before it may deploy, all evaluated and reported at once (a CI
/// pipeline sees the whole list, not the first failure). Scoped: reads the registry through the
/// request's <see cref="ModelOpsDbContext"/>; warms versions through <see cref="IVersionWarmup"/>.
/// </summary>
public sealed class RolloutPreflight(ModelOpsDbContext db, IVersionWarmup warmup)
{
    public async Task<IReadOnlyList<PreflightCheck>> RunAsync(RolloutPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var versions = await db.Set<ModelVersion>().AsNoTracking()
            .Where(v => v.Model == plan.Model && (v.Version == plan.CandidateVersion || v.Version == plan.RollbackTarget))
            .ToListAsync(cancellationToken);
        var candidate = versions.Where(v => v.Version == plan.CandidateVersion).Select(RegistryCatalog.ToView).SingleOrDefault();
        var target = versions.Where(v => v.Version == plan.RollbackTarget).Select(RegistryCatalog.ToView).SingleOrDefault();
        var checks = new List<PreflightCheck>
        {
            Registered("candidate.registered", plan.Model, plan.CandidateVersion, candidate),
            Registered("target.registered", plan.Model, plan.RollbackTarget, target),
            await WarmAsync("candidate.warm", plan.Model, candidate, cancellationToken),
            await WarmAsync("target.warm", plan.Model, target, cancellationToken),
            PreflightRules.Signature(candidate, target),
            await EncoderAsync(candidate, target, cancellationToken),
            PreflightRules.Frozen(candidate),
            PreflightRules.Dataset(candidate, candidate?.DatasetHash is { } hash ? await db.Set<FlaggedDataset>().AsNoTracking().SingleOrDefaultAsync(d => d.Hash == hash, cancellationToken) : null),
            await NoActiveRolloutAsync(plan.Model, cancellationToken),
        };
        checks.AddRange(plan.Guardrails.Where(g => g.Metric == GuardrailMetric.Offline).Select(g => PreflightRules.Offline(g, candidate, target)));
        return checks;
    }

    private async Task<PreflightCheck> NoActiveRolloutAsync(string model, CancellationToken cancellationToken)
    {
        var active = await db.Set<Rollout>().AsNoTracking()
            .Where(r => r.Model == model && RolloutStates.Active.Contains(r.State))
            .Select(r => new { r.Id, r.State })
            .FirstOrDefaultAsync(cancellationToken);
        return active is null
            ? new("noActiveRollout", true, $"No other rollout is active on '{model}'.")
            : new("noActiveRollout", false, $"Rollout {active.Id} is {active.State} on '{model}'; roll it back or promote it first.");
    }

    private static PreflightCheck Registered(string name, string model, int version, ModelVersionView? found) => found is null
        ? new(name, false, $"{model} v{version} is not registered; register it (POST /api/models/{model}/versions) or name another version.")
        : new(name, true, $"{model} v{version} is registered ({found.Digest}).");

    private async Task<PreflightCheck> WarmAsync(string name, string model, ModelVersionView? version, CancellationToken cancellationToken)
    {
        if (version is null)
        {
            return new(name, false, "Not registered, so it cannot be loaded.");
        }

        var warm = await warmup.CheckWarmAsync(model, version.Version, cancellationToken);
        return warm.IsSuccess
            ? new(name, true, $"{model} v{version.Version} is loaded, warm and passed its golden-input health check.")
            : new(name, false, warm.Error.Detail);
    }

    private async Task<PreflightCheck> EncoderAsync(ModelVersionView? candidate, ModelVersionView? target, CancellationToken cancellationToken)
    {
        var names = new[] { candidate?.EncoderVersion, target?.EncoderVersion }.OfType<string>().Distinct().ToList();
        var specs = new Dictionary<string, Registry.Encoding.FeatureEncoderSpec>(StringComparer.Ordinal);
        string? retired = null;
        foreach (var reference in names)
        {
            var (name, version) = PreflightRules.SplitEncoder(reference);
            var stored = await db.Set<FeatureEncoderVersion>().AsNoTracking()
                .SingleOrDefaultAsync(e => e.Name == name && e.Version == version, cancellationToken);
            if (stored is not null && Registry.Encoding.FeatureEncoderSpec.Parse(stored.SpecJson) is { IsSuccess: true } parsed)
            {
                specs[reference] = parsed.Value;
            }

            retired ??= reference == candidate?.EncoderVersion && stored?.RetiredByIncident is { } incident ? $"{reference} (incident {incident})" : null;
        }

        return retired is null
            ? PreflightRules.Encoder(candidate, target, specs)
            : new("encoder", false, $"v{candidate!.Version}'s encoder {retired} was retired when the version it served was rolled back; close that incident with a root cause, or pair the candidate with another encoder.");
    }
}
