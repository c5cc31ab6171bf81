using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Inference.Serving.Routing;

/// <summary>
/// Makes this replica serve what another replica committed: every persisted routing table whose
/// generation is newer than the live one here is warmed and published, the same swap
/// <see cref="TrafficRouter"/> makes for a local change. The stored table is the truth and the
/// generation orders it, so following is idempotent and a missed announcement only delays it
/// until the next catch-up. A version that will not warm here is published anyway (logged, and
/// <c>/v2/health/ready</c> names it), because every replica serving the same split matters more
/// than this one's latency: the load balancer takes a not-ready replica out.
/// </summary>
public sealed partial class RoutingFollower(RoutingTableHolder holder, SessionPool pool, IServiceScopeFactory scopes, ILogger<RoutingFollower> logger)
{
    /// <summary>Adopts the stored table of <paramref name="model"/> (or of every model) when newer; returns how many went live.</summary>
    public async Task<int> CatchUpAsync(string? model, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        // Generations first (small), the tables only of the models that moved.
        var generations = await db.Set<RoutingTableRecord>().AsNoTracking()
            .Where(r => model == null || r.Model == model)
            .Select(r => new { r.Model, r.Generation })
            .ToListAsync(cancellationToken);
        var live = holder.Snapshot();
        var behind = generations
            .Where(g => !live.TryGetValue(g.Model, out var table) || table.Generation < g.Generation)
            .Select(g => g.Model)
            .ToList();
        if (behind.Count == 0)
        {
            return 0;
        }

        var records = await db.Set<RoutingTableRecord>().AsNoTracking().Where(r => behind.Contains(r.Model)).ToListAsync(cancellationToken);
        var champions = await db.Set<ModelAlias>().AsNoTracking()
            .Where(a => behind.Contains(a.Model) && a.Alias == ModelAlias.Champion)
            .ToDictionaryAsync(a => a.Model, a => a.Version, cancellationToken);
        var adopted = 0;
        foreach (var record in records)
        {
            if (await AdoptAsync(record, champions.TryGetValue(record.Model, out var c) ? c : null, cancellationToken))
            {
                adopted++;
            }
        }

        return adopted;
    }

    private async Task<bool> AdoptAsync(RoutingTableRecord record, int? champion, CancellationToken cancellationToken)
    {
        var parsed = RoutingTableDocument.Parse(record.TableJson);
        if (!parsed.IsSuccess)
        {
            Log.Unreadable(logger, record.Model, record.Generation, parsed.Error.Detail);
            return false;
        }

        var table = parsed.Value;
        var warmSet = TrafficRouter.WarmSet(table, champion);
        // Routable versions and the baseline (the rollback target), as a local change warms them.
        foreach (var version in TrafficRouter.WarmSet(table, champion: null))
        {
            var warm = await pool.EnsureWarmAsync(table.Model, version, cancellationToken);
            if (!warm.IsSuccess)
            {
                Log.NotWarm(logger, table.Model, version, warm.Error.Detail);
            }
        }

        if (!holder.Publish(table).IsSuccess)
        {
            return false; // a newer one went live meanwhile (a local change, or a concurrent catch-up)
        }

        pool.Want(table.Model, warmSet);
        Log.Followed(logger, table.Model, table.Generation, record.UpdatedBy);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Routing for {Model} followed to generation {Generation} (changed by {Actor} on another replica)")]
        public static partial void Followed(ILogger logger, string model, long generation, string actor);

        [LoggerMessage(Level = LogLevel.Error, Message = "Stored routing table of {Model} (generation {Generation}) is unreadable: {Problem}")]
        public static partial void Unreadable(ILogger logger, string model, long generation, string problem);

        [LoggerMessage(Level = LogLevel.Error, Message = "Routing for {Model} followed, but v{Version} is not warm here: {Problem}")]
        public static partial void NotWarm(ILogger logger, string model, int version, string problem);
    }
}
