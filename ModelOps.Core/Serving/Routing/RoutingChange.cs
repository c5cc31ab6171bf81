using System.Globalization;
using ModelOps.Core.Common;

namespace ModelOps.Core.Serving.Routing;

/// <summary>
/// A requested change of a model's traffic split, from an operator (<c>PUT /api/models/{name}/routing</c>),
/// the champion alias moving, or the rollout engine. The rules every caller shares live here:
/// a change names the generation it was made on (<see cref="ExpectedGeneration"/>; none means
/// the live one) and is refused when that is stale; the new table's generation is the live one
/// plus one; the split itself is validated by <see cref="RoutingTable.Create"/>.
/// </summary>
public sealed record RoutingChange(
    IReadOnlyList<RouteWeight>? Weights,
    IReadOnlyDictionary<string, IReadOnlyList<RouteWeight>>? Regions,
    ShadowMirror? Shadow,
    int? BaselineVersion,
    int? CandidateVersion,
    string? Reason,
    long? ExpectedGeneration)
{
    /// <summary>All traffic to one version, on top of <paramref name="live"/>.</summary>
    public static RoutingChange AllTo(int version, string reason, RoutingTable? live) =>
        new([new RouteWeight(version, 100)], null, null, null, null, reason, live?.Generation ?? 0);

    /// <summary>
    /// What serving does when the champion alias moves to <paramref name="version"/>: all traffic
    /// to it in one swap (a rollback by alias), unless a rollout owns the model's traffic (the
    /// live table has a candidate) or all of it is already there — then null: leave the table.
    /// </summary>
    public static RoutingChange? FollowChampion(RoutingTable? live, int version, string alias) =>
        live is not null && (live.CandidateVersion is not null || live.RoutableVersions is [var only] && only == version)
            ? null
            : AllTo(version, $"alias {alias} moved to v{version}", live);

    /// <summary>The table this change makes of <paramref name="live"/>, or why it cannot.</summary>
    public Result<RoutingTable> ToTable(string model, RoutingTable? live)
    {
        var liveGeneration = live?.Generation ?? 0;
        if (ExpectedGeneration is { } expected && liveGeneration != expected)
        {
            var current = live is null ? "none" : liveGeneration.ToString(CultureInfo.InvariantCulture);
            return Error.Conflict($"The routing table of '{model}' is at generation {current}, not {expected}; reload and apply your change on top of it.");
        }

        if (Weights is null || Weights.Count == 0)
        {
            return Error.Invalid("weights", "\"weights\" is missing; send e.g. [{ \"version\": 2, \"percent\": 90 }, { \"version\": 3, \"percent\": 10 }].");
        }

        if (string.IsNullOrWhiteSpace(Reason))
        {
            return Error.Invalid("reason", "A reason is required to change routing; say why, e.g. \"canary step 2 of 4\".");
        }

        return RoutingTable.Create(model, liveGeneration + 1, Weights, Regions, Shadow, BaselineVersion, CandidateVersion);
    }
}
