using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Incidents.Samples;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Serving.Log;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// What the flags page offers to flag: active rollouts with their candidate's most recent logged
/// predictions (for a spot check), and every training dataset hash the registry knows with the
/// versions trained on it and whether it is already flagged.
/// </summary>
public sealed class FlagCandidates(ModelOpsDbContext db, ILoggedRequests log, TimeProvider time)
{
    /// <summary>The logged predictions looked at: the last ten minutes, the newest few shown.</summary>
    public const int RecentSeconds = 600;
    public const int RecentShown = 20;

    public async Task<IReadOnlyList<Rollout>> ActiveRolloutsAsync(CancellationToken cancellationToken)
    {
        var active = await db.Set<Rollout>().AsNoTracking().Where(r => RolloutStates.Active.Contains(r.State)).ToListAsync(cancellationToken);
        return [.. active.Where(r => r.State != RolloutStates.RollingBack).OrderBy(r => r.Model, StringComparer.Ordinal)];
    }

    /// <summary>The candidate's newest answered predictions (failed requests have no prediction to judge).</summary>
    public async Task<IReadOnlyList<InferenceLogEntry>> RecentPredictionsAsync(Rollout rollout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var now = time.GetUtcNow();
        var keys = await log.KeysAsync(rollout.Model, rollout.CandidateVersion, now.AddSeconds(-RecentSeconds), now, cancellationToken);
        var newest = keys.Where(k => !k.Failed).Select(k => k.LogId).OrderDescending().Take(RecentShown).ToList();
        var rows = await log.RowsAsync(newest, cancellationToken);
        return [.. rows.Where(r => r.Arm != "shadow").OrderByDescending(r => r.At)];
    }

    public async Task<IReadOnlyList<DatasetUse>> DatasetsAsync(CancellationToken cancellationToken)
    {
        var versions = await db.Set<ModelVersion>().AsNoTracking().Where(v => v.DatasetHash != null)
            .Select(v => new { v.DatasetHash, v.Model, v.Version }).ToListAsync(cancellationToken);
        var flagged = await db.Set<FlaggedDataset>().AsNoTracking().ToListAsync(cancellationToken);
        return [.. versions.GroupBy(v => v.DatasetHash!).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new DatasetUse(
            g.Key,
            [.. g.OrderBy(v => v.Model, StringComparer.Ordinal).ThenBy(v => v.Version).Select(v => $"{v.Model} v{v.Version}")],
            flagged.FirstOrDefault(f => f.Hash == g.Key)))];
    }
}

/// <summary>A training dataset hash, the versions trained on it, and its flag if it has one.</summary>
public sealed record DatasetUse(string Hash, IReadOnlyList<string> Versions, FlaggedDataset? Flag);
