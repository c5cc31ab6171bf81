using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Cluster;

/// <summary>
/// The degraded mode, decided (pure): a replica that has not reached the database for longer than
/// <c>ModelOps:Cluster:DatabaseOutageSeconds</c> serves each active rollout's model from the live
/// table with the candidate's share moved to the rollback target, in every split (default and
/// per region). Nothing changes while the database is reachable, within the threshold, or for a
/// model whose candidate takes no live share (a shadow mirror answers no caller). The result
/// is only ever served locally: the database is not there to write it to.
/// </summary>
public static class DegradedRouting
{
    /// <summary>The tables to serve instead of the live ones; empty when this replica serves the live tables.</summary>
    public static IReadOnlyList<DegradedRoute> Decide(
        DatabaseContact contact,
        DateTimeOffset now,
        TimeSpan outageThreshold,
        IReadOnlyList<ActiveRolloutRoute> rollouts,
        IReadOnlyDictionary<string, RoutingTable> live)
    {
        ArgumentNullException.ThrowIfNull(contact);
        ArgumentNullException.ThrowIfNull(rollouts);
        ArgumentNullException.ThrowIfNull(live);
        if (contact.UnreachableFor(now) <= outageThreshold)
        {
            return [];
        }

        var routes = new List<DegradedRoute>();
        foreach (var rollout in rollouts)
        {
            if (live.TryGetValue(rollout.Model, out var table) && Reroute(table, rollout.CandidateVersion, rollout.RollbackTarget) is { } rerouted)
            {
                routes.Add(new DegradedRoute(rollout, rerouted));
            }
        }

        return routes;
    }

    /// <summary>
    /// <paramref name="table"/> with <paramref name="candidate"/>'s weight added to
    /// <paramref name="target"/>'s in every split, same generation; null when the candidate has no
    /// weight anywhere (nothing to move) or the two are the same version.
    /// </summary>
    public static RoutingTable? Reroute(RoutingTable table, int candidate, int target)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (candidate == target || !AllSplits(table).Any(split => Share(split, candidate) > 0))
        {
            return null;
        }

        var regions = table.RegionOverrides.ToDictionary(r => r.Key, r => (IReadOnlyList<RouteWeight>)Move(r.Value, candidate, target), StringComparer.OrdinalIgnoreCase);
        // The labels stay as the rollout set them, unless they would name the target as candidate.
        var labelled = table.CandidateVersion != target;
        var rerouted = RoutingTable.Create(
            table.Model,
            table.Generation,
            Move(table.DefaultWeights, candidate, target),
            regions,
            table.Shadow,
            labelled ? table.BaselineVersion : target,
            labelled ? table.CandidateVersion : null);
        // Moving weight between two entries (clamped at 100 against rounding) keeps every invariant Create checks.
        return rerouted.IsSuccess ? rerouted.Value : throw new InvalidOperationException(rerouted.Error.Detail);
    }

    private static IEnumerable<IReadOnlyList<RouteWeight>> AllSplits(RoutingTable table) =>
        table.RegionOverrides.Values.Prepend(table.DefaultWeights);

    private static double Share(IReadOnlyList<RouteWeight> split, int version) =>
        split.Where(w => w.Version == version).Sum(w => w.Percent);

    private static List<RouteWeight> Move(IReadOnlyList<RouteWeight> split, int candidate, int target)
    {
        var moved = Share(split, candidate);
        var weights = split
            .Select(w => w.Version == candidate ? w with { Percent = 0 } : w.Version == target ? w with { Percent = Math.Min(100, w.Percent + moved) } : w)
            .ToList();
        if (moved > 0 && weights.All(w => w.Version != target))
        {
            weights.Add(new RouteWeight(target, moved));
        }

        return weights;
    }
}
