using System.Collections.Concurrent;
using System.Collections.Immutable;
using ModelOps.Core.Common;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Inference.Serving.Routing;

/// <summary>
/// The live routing tables of this process (one instance, a DI singleton). The whole map is an
/// immutable snapshot replaced by compare-and-swap, so a request that reads it once sees one
/// consistent set of tables and never a half-applied change, and readers never take a lock.
/// </summary>
public sealed class RoutingTableHolder(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (long Generation, DateTimeOffset Since)> _published = new(StringComparer.Ordinal);
    private ImmutableDictionary<string, RoutingTable> tables = ImmutableDictionary<string, RoutingTable>.Empty;

    public RoutingTableHolder()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Read once per request and route from the result.</summary>
    public ImmutableDictionary<string, RoutingTable> Snapshot() => Volatile.Read(ref tables);

    public RoutingTable? Current(string model) => Snapshot().GetValueOrDefault(model);

    /// <summary>
    /// The live table of <paramref name="model"/> and when it was published here (what a step's
    /// measurements start from). A table published this instant, whose time is not recorded yet, reads as live from now.
    /// </summary>
    public (RoutingTable Table, DateTimeOffset Since)? LiveSince(string model)
    {
        if (Current(model) is not { } table)
        {
            return null;
        }

        return _published.TryGetValue(model, out var published) && published.Generation == table.Generation
            ? (table, published.Since)
            : (table, time.GetUtcNow());
    }

    /// <summary>
    /// Makes <paramref name="table"/> live. Fails with a conflict when the live table's generation
    /// is the same or newer, so a delayed writer cannot roll traffic back to an older split.
    /// </summary>
    public Result<RoutingTable> Publish(RoutingTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        while (true)
        {
            var before = Volatile.Read(ref tables);
            if (before.TryGetValue(table.Model, out var live) && live.Generation >= table.Generation)
            {
                return Error.Conflict(
                    $"Routing table generation {table.Generation} for model '{table.Model}' is not newer than the live generation {live.Generation}; reload the live table and apply the change on top of it.");
            }

            var after = before.SetItem(table.Model, table);
            if (ReferenceEquals(Interlocked.CompareExchange(ref tables, after, before), before))
            {
                var since = time.GetUtcNow();
                _published.AddOrUpdate(table.Model, (table.Generation, since), (_, old) => old.Generation >= table.Generation ? old : (table.Generation, since));
                return table;
            }
        }
    }
}
