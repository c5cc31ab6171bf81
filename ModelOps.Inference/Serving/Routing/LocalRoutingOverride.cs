using System.Collections.Immutable;
using ModelOps.Core.Cluster;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Inference.Serving.Routing;

/// <summary>
/// The degraded mode's state on this replica (one instance, a DI singleton): the database contact
/// the watch last reported, and the tables served instead of the live ones while the database has
/// been out of reach too long (<see cref="DegradedRouting"/>). Never written anywhere: the live
/// tables in <see cref="RoutingTableHolder"/> stay as the database last said, and an override
/// applies only to the generation it was made from, so a newer table followed from the database wins.
/// It also remembers which seconds each model was served from an override (<see cref="Served"/>), so
/// the replica's published metrics leave them out of rollout judging.
/// </summary>
public sealed class LocalRoutingOverride
{
    private readonly Lock _gate = new();
    private readonly List<(string Model, long From, long Through)> _ended = [];
    private ImmutableDictionary<string, DegradedServing> _routes = ImmutableDictionary<string, DegradedServing>.Empty.WithComparers(StringComparer.Ordinal);
    private DatabaseContact? _contact;

    /// <summary>Null where nothing watches the database (SQLite: one process, no peers).</summary>
    public DatabaseContact? Contact => Volatile.Read(ref _contact);

    /// <summary>Models served from an override now, by model.</summary>
    public ImmutableDictionary<string, DegradedServing> Routes => Volatile.Read(ref _routes);

    /// <summary>The table to route a request by: the override made from <paramref name="live"/>'s generation, else <paramref name="live"/>.</summary>
    /// <remarks>On the inference path for every request: with no override (the normal case) it reads one field and hashes nothing.</remarks>
    public RoutingTable? Serve(RoutingTable? live)
    {
        var routes = Routes;
        return live is not null && !routes.IsEmpty && routes.TryGetValue(live.Model, out var serving) && serving.Route.Table.Generation == live.Generation
            ? serving.Route.Table
            : live;
    }

    /// <summary>Whether <paramref name="live"/> is being served from an override now.</summary>
    public bool Overrides(RoutingTable live) => !ReferenceEquals(Serve(live), live);

    /// <summary>The models of <paramref name="live"/> served from an override now, ordinal order.</summary>
    public IReadOnlyList<string> OverriddenModels(IReadOnlyDictionary<string, RoutingTable> live) =>
        [.. live.Values.Where(Overrides).Select(t => t.Model).Order(StringComparer.Ordinal)];

    public void Report(DatabaseContact contact) => Volatile.Write(ref _contact, contact);

    /// <summary>
    /// Serves <paramref name="routes"/> from now on. A spell no longer among them (dropped, or replaced
    /// by a new one for the model) is remembered as ended <paramref name="at"/>, and returned.
    /// </summary>
    public IReadOnlyList<DegradedServing> Replace(ImmutableDictionary<string, DegradedServing> routes, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(routes);
        lock (_gate)
        {
            // Remembered before the swap, so a second is never covered by neither.
            var ended = Routes.Where(r => !routes.TryGetValue(r.Key, out var kept) || kept != r.Value).Select(r => r.Value).ToList();
            foreach (var serving in ended)
            {
                _ended.Add((serving.Route.Rollout.Model, serving.Since.ToUnixTimeSeconds(), at.ToUnixTimeSeconds()));
            }

            Volatile.Write(ref _routes, routes);
            return ended;
        }
    }

    /// <summary>
    /// Whether any part of <paramref name="second"/> (Unix seconds) of <paramref name="model"/> may have
    /// been served from an override: a spell going on now or one ended and not forgotten yet. The
    /// seconds a spell began and ended in count whole.
    /// </summary>
    public bool Served(string model, long second)
    {
        if (Routes.TryGetValue(model, out var serving) && second >= serving.Since.ToUnixTimeSeconds())
        {
            return true;
        }

        lock (_gate)
        {
            return _ended.Exists(s => s.Model == model && second >= s.From && second <= s.Through);
        }
    }

    /// <summary>Forgets ended spells that ended before <paramref name="second"/> (their seconds have been published or dropped).</summary>
    public void Forget(long second)
    {
        lock (_gate)
        {
            _ended.RemoveAll(s => s.Through < second);
        }
    }
}
