using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModelOps.Core.Common;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;

namespace ModelOps.Core.Rollouts.Stability;

/// <summary>
/// Anti-flapping: which models were rolled back <see cref="ChronicFailureOptions.Rollbacks"/> times
/// within <see cref="ChronicFailureOptions.PeriodHours"/>. A rollback counts from its decision
/// (<see cref="Rollout.DecidedAt"/>, else <see cref="Rollout.EndedAt"/>), whatever its trigger,
/// including a staged rollback still under way. One grouped query, one row per model.
/// </summary>
public sealed class ChronicFailures(ModelOpsDbContext db, IOptions<ChronicFailureOptions> options, TimeProvider time)
{
    /// <summary>The flagged models only, by name.</summary>
    public async Task<IReadOnlyDictionary<string, ChronicFailure>> AllAsync(CancellationToken cancellationToken)
    {
        var tallies = await TallyAsync(null, cancellationToken);
        return tallies
            .Select(t => (t.Model, Flag: ChronicFailure.Assess(t.Model, t.Rollbacks, t.Earliest, options.Value)))
            .Where(p => p.Flag is not null)
            .ToDictionary(p => p.Model, p => p.Flag!, StringComparer.Ordinal); // Filtered to non-null above.
    }

    /// <summary>The flag of one model, or null when it is not chronically failing (or has no rollouts).</summary>
    public async Task<ChronicFailure?> OfModelAsync(string model, CancellationToken cancellationToken)
    {
        var tally = (await TallyAsync(model, cancellationToken)).SingleOrDefault();
        return tally is null ? null : ChronicFailure.Assess(model, tally.Rollbacks, tally.Earliest, options.Value);
    }

    /// <summary>The model's rollbacks in the period and its flag; NotFound for a model never registered.</summary>
    public async Task<Result<ModelStability>> StabilityAsync(string model, CancellationToken cancellationToken)
    {
        if (!await db.Set<RegisteredModel>().AnyAsync(m => m.Name == model, cancellationToken))
        {
            return Error.NotFound($"No model '{model}'; GET /api/models lists them.");
        }

        var tally = (await TallyAsync(model, cancellationToken)).SingleOrDefault();
        var rollbacks = tally?.Rollbacks ?? 0;
        return new ModelStability(
            model, rollbacks, options.Value.PeriodHours, options.Value.Rollbacks,
            ChronicFailure.Assess(model, rollbacks, tally?.Earliest, options.Value));
    }

    private async Task<List<Tally>> TallyAsync(string? model, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow().AddHours(-options.Value.PeriodHours);
        var rollouts = db.Set<Rollout>().AsNoTracking()
            .Where(r => r.State == RolloutStates.RollingBack || r.State == RolloutStates.RolledBack)
            .Where(r => (r.DecidedAt ?? r.EndedAt) >= since);
        rollouts = model is null ? rollouts : rollouts.Where(r => r.Model == model);
        return await rollouts
            .GroupBy(r => r.Model)
            .Select(g => new Tally(g.Key, g.Count(), g.Min(r => r.DecidedAt ?? r.EndedAt)))
            .ToListAsync(cancellationToken);
    }

    private sealed record Tally(string Model, int Rollbacks, DateTimeOffset? Earliest);
}
