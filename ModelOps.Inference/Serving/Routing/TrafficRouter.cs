using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelOps.Core.Audit;
using ModelOps.Core.Common;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Inference.Serving.Routing;

/// <summary>
/// Moves traffic: warms every version the new table can route to, persists the table and its
/// audit row in one transaction, then publishes it with one reference swap as soon as that has
/// committed (the audit row's checkpoint is anchored after, off the swap's path). A table is never
/// published before its versions are warm, so a swap cannot send a request to a cold session.
/// Once live here, the change is announced to the other replicas (<see cref="IRoutingAnnouncer"/>),
/// which adopt it through <see cref="RoutingFollower"/>.
/// </summary>
public sealed partial class TrafficRouter(
    RoutingTableHolder holder,
    SessionPool pool,
    IServiceScopeFactory scopes,
    TimeProvider time,
    IRoutingAnnouncer announcer,
    ILogger<TrafficRouter> logger) : ITrafficRouter
{
    public const string ChampionAlias = ModelAlias.Champion;

    public RoutingTable? Current(string model) => holder.Current(model);

    /// <summary>The answer for a model that has no live routing table.</summary>
    public static Error NotServed(string model) =>
        Error.NotFound($"Model '{model}' is not served: it is not registered or has no '{ChampionAlias}' alias. Register it and point {ChampionAlias} at a version.");

    public async Task<Result<RoutingTable>> ChangeAsync(string model, RoutingChange change, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var table = change.ToTable(model, holder.Current(model));
        // ToTable refuses a change without a reason, so Reason is set here.
        return table.IsSuccess ? await ApplyAsync(table.Value, actor, change.Reason!, cancellationToken) : table.Error;
    }

    public async Task<Result<RoutingTable>> ApplyAsync(RoutingTable table, string actor, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var applied = await ApplyWarmedAsync(table, actor, reason, cancellationToken);
        if (!applied.IsSuccess)
        {
            // Versions warmed for a refused change must not stay loaded forever.
            pool.ReleaseUnwanted(table.Model);
        }

        return applied;
    }

    private async Task<Result<RoutingTable>> ApplyWarmedAsync(RoutingTable table, string actor, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Error.Invalid("reason", "A reason is required to change routing; say why, e.g. \"canary step 2 of 4\".");
        }

        foreach (var version in WarmSet(table, champion: null))
        {
            var warm = await pool.EnsureWarmAsync(table.Model, version, cancellationToken);
            if (!warm.IsSuccess)
            {
                return Error.Conflict($"Routing not changed: {table.Model} v{version} is not servable ({warm.Error.Detail})");
            }
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        var document = RoutingTableDocument.From(table);
        Result<RoutingTable>? published = null;
        var saved = await trail.ExecuteAsync<RoutingTable>(async ct =>
        {
            var stored = await db.Set<RoutingTableRecord>().SingleOrDefaultAsync(r => r.Model == table.Model, ct);
            if (stored is not null && stored.Generation >= table.Generation)
            {
                return Error.Conflict(
                    $"Routing table generation {table.Generation} for '{table.Model}' is not newer than the live generation {stored.Generation}; someone changed it first. Reload and apply on top of it.");
            }

            if (stored is null)
            {
                stored = new RoutingTableRecord { Model = table.Model, TableJson = string.Empty, UpdatedBy = actor };
                db.Add(stored);
            }

            stored.Generation = table.Generation;
            stored.TableJson = document.ToJson();
            stored.UpdatedAt = time.GetUtcNow();
            stored.UpdatedBy = actor;

            return new AuditedChange<RoutingTable>(
                table,
                new AuditRecord(actor, "routing.applied", $"model:{table.Model}/routing", new { reason, table = document }, table.Model));
        }, committed => published = holder.Publish(committed), cancellationToken);
        if (!saved.IsSuccess)
        {
            return saved.Error;
        }

        // Published as soon as the row committed (before the audit row's checkpoint is written).
        // The stored generation is unique per model, so a live table already at ours is ours:
        // another replica's announcement (or the reconciliation) made it live between our commit and here.
        if (published is { IsSuccess: false } refused && holder.Current(table.Model)?.Generation != table.Generation)
        {
            // A newer generation was persisted and published by a concurrent writer after ours committed.
            return refused.Error;
        }

        await AfterPublishAsync(scope.ServiceProvider, table, cancellationToken);
        await announcer.AnnounceAsync(table.Model, table.Generation, cancellationToken);
        Log.Applied(logger, table.Model, table.Generation, actor);
        return table;
    }

    /// <summary>
    /// Rebuilds the live tables at start-up: the persisted table of each model, or, for a model
    /// never routed, all traffic to its <c>champion</c> alias. Returns the models now served.
    /// </summary>
    public async Task<IReadOnlyList<string>> RestoreAsync(CancellationToken cancellationToken)
    {
        List<RoutingTableRecord> records;
        List<ModelAlias> champions;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
            records = await db.Set<RoutingTableRecord>().AsNoTracking().ToListAsync(cancellationToken);
            champions = await db.Set<ModelAlias>().AsNoTracking().Where(a => a.Alias == ChampionAlias).ToListAsync(cancellationToken);
        }

        var served = new List<string>();
        foreach (var record in records)
        {
            var table = RoutingTableDocument.Parse(record.TableJson);
            if (!table.IsSuccess)
            {
                Log.RestoreFailed(logger, record.Model, table.Error.Detail);
                continue;
            }

            var warmSet = WarmSet(table.Value, champions.FirstOrDefault(c => c.Model == record.Model)?.Version);
            foreach (var version in warmSet)
            {
                var warm = await pool.EnsureWarmAsync(record.Model, version, cancellationToken);
                if (!warm.IsSuccess)
                {
                    Log.RestoreFailed(logger, record.Model, warm.Error.Detail);
                }
            }

            if (holder.Publish(table.Value).IsSuccess)
            {
                pool.Want(record.Model, warmSet);
                served.Add(record.Model);
            }
        }

        foreach (var champion in champions.Where(c => records.All(r => r.Model != c.Model)))
        {
            var table = RoutingTable.Single(champion.Model, champion.Version, 1);
            var applied = table.IsSuccess ? await ApplyAsync(table.Value, "system", $"serve alias {ChampionAlias}", cancellationToken) : table.Error;
            if (applied.IsSuccess)
            {
                served.Add(champion.Model);
            }
            else
            {
                Log.RestoreFailed(logger, champion.Model, applied.Error.Detail);
            }
        }

        return served;
    }

    /// <summary>
    /// Serving follows the <c>champion</c> alias: when it moves and no rollout holds a candidate,
    /// all traffic moves to the new champion in one swap (this is what a rollback by alias does).
    /// </summary>
    public async Task<Result<RoutingTable?>> FollowAliasAsync(string model, string alias, int version, string actor, CancellationToken cancellationToken)
    {
        if (alias != ChampionAlias)
        {
            return Result<RoutingTable?>.Success(null);
        }

        var live = holder.Current(model);
        if (RoutingChange.FollowChampion(live, version, alias) is not { } change)
        {
            // A rollout owns the traffic, or all of it is already on the new champion: only keep the champion warm.
            pool.Want(model, WarmSet(live!, version)); // FollowChampion leaves the table only when there is one
            return Result<RoutingTable?>.Success(null);
        }

        var applied = await ChangeAsync(model, change, actor, cancellationToken);
        return applied.IsSuccess ? applied.Value : applied.Error;
    }

    /// <summary>Routable versions, the table's baseline (a revert target) and the champion (last known good).</summary>
    internal static IReadOnlySet<int> WarmSet(RoutingTable table, int? champion)
    {
        var set = new SortedSet<int>(table.RoutableVersions);
        if (table.BaselineVersion is { } baseline)
        {
            set.Add(baseline);
        }

        if (champion is { } c)
        {
            set.Add(c);
        }

        return set;
    }

    private async Task AfterPublishAsync(IServiceProvider services, RoutingTable table, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<ModelOpsDbContext>();
        var champion = await db.Set<ModelAlias>().AsNoTracking()
            .Where(a => a.Model == table.Model && a.Alias == ChampionAlias)
            .Select(a => (int?)a.Version)
            .SingleOrDefaultAsync(cancellationToken);
        pool.Want(table.Model, WarmSet(table, champion));
        var registry = services.GetRequiredService<ModelRegistry>();
        foreach (var version in table.RoutableVersions)
        {
            await registry.MarkServedAsync(table.Model, version, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Routing for {Model} is now generation {Generation} (by {Actor})")]
        public static partial void Applied(ILogger logger, string model, long generation, string actor);

        [LoggerMessage(Level = LogLevel.Error, Message = "Could not restore routing for {Model}: {Problem}")]
        public static partial void RestoreFailed(ILogger logger, string model, string problem);
    }
}
