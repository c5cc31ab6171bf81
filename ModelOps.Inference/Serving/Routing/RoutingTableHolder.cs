using System.Collections.Immutable;
using ModelOps.Core.Common;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Inference.Serving.Routing;

/// <summary>
/// The live routing tables of this process (one instance, a DI singleton). The whole map is an
/// immutable snapshot replaced by compare-and-swap, so a request that reads it once sees one
/// consistent set of tables and never a half-applied change, and readers never take a lock.
/// </summary>
public sealed class RoutingTableHolder
{
    private ImmutableDictionary<string, RoutingTable> tables = ImmutableDictionary<string, RoutingTable>.Empty;

    /// <summary>Read once per request and route from the result.</summary>
    public ImmutableDictionary<string, RoutingTable> Snapshot() => Volatile.Read(ref tables);

    public RoutingTable? Current(string model) => Snapshot().GetValueOrDefault(model);

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
                return table;
            }
        }
    }
}
