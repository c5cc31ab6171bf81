using System.Collections.Immutable;
using ModelOps.Core.Common;

namespace ModelOps.Core.Serving.Routing;

/// <summary>
/// The immutable traffic split of one model. Invariants (checked by <see cref="Create"/>, the
/// only way to build one): every weight list is non-empty, each weight is in 0..100, the
/// weights sum to 100 within <see cref="WeightTolerance"/>, no version appears twice in a list,
/// and a shadow share is in 0..1. Weight lists are stored in canonical order (other versions
/// ascending, the candidate last), so that raising the candidate's weight only adds sticky
/// buckets to it and never moves a key that was already on the candidate back.
/// </summary>
public sealed record RoutingTable
{
    /// <summary>Floating-point slack on the 100 % sum; callers compute weights as doubles.</summary>
    public const double WeightTolerance = 1e-9;

    private RoutingTable(
        string model,
        long generation,
        ImmutableArray<RouteWeight> defaultWeights,
        ImmutableDictionary<string, IReadOnlyList<RouteWeight>> regionOverrides,
        ShadowMirror? shadow,
        int? baselineVersion,
        int? candidateVersion)
    {
        Model = model;
        Generation = generation;
        DefaultWeights = defaultWeights;
        RegionOverrides = regionOverrides;
        Shadow = shadow;
        BaselineVersion = baselineVersion;
        CandidateVersion = candidateVersion;
        RoutableVersions = ComputeRoutableVersions(defaultWeights, regionOverrides, shadow);
    }

    public string Model { get; }

    /// <summary>Increases on every change; a holder refuses a table not newer than its own.</summary>
    public long Generation { get; }

    public IReadOnlyList<RouteWeight> DefaultWeights { get; }

    /// <summary>Per-region splits (region names compared ordinal, case-insensitive).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<RouteWeight>> RegionOverrides { get; }

    public ShadowMirror? Shadow { get; }

    public int? BaselineVersion { get; }

    public int? CandidateVersion { get; }

    /// <summary>Every version with weight above 0 in any split, plus the shadow version; ascending.</summary>
    public IReadOnlyList<int> RoutableVersions { get; }

    public static Result<RoutingTable> Create(
        string model,
        long generation,
        IReadOnlyList<RouteWeight> defaultWeights,
        IReadOnlyDictionary<string, IReadOnlyList<RouteWeight>>? regionOverrides = null,
        ShadowMirror? shadow = null,
        int? baselineVersion = null,
        int? candidateVersion = null)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return Error.Invalid("model", "The model name is empty; pass the registered model name.");
        }

        if (generation < 0)
        {
            return Error.Invalid("generation", $"Generation {generation} is negative; generations start at 0 and only increase.");
        }

        if (baselineVersion is { } b && candidateVersion == b)
        {
            return Error.Invalid("candidateVersion", $"Baseline and candidate are both version {b}; a rollout needs two different versions.");
        }

        var defaults = RoutingTableRules.Canonical("weights", defaultWeights, candidateVersion);
        if (!defaults.IsSuccess)
        {
            return defaults.Error;
        }

        var regions = ImmutableDictionary.CreateBuilder<string, IReadOnlyList<RouteWeight>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (region, weights) in regionOverrides ?? ImmutableDictionary<string, IReadOnlyList<RouteWeight>>.Empty)
        {
            if (string.IsNullOrWhiteSpace(region) || regions.ContainsKey(region))
            {
                return Error.Invalid("regionOverrides", $"Region '{region}' is empty or listed twice (names are case-insensitive); list each region once.");
            }

            var canonical = RoutingTableRules.Canonical($"regionOverrides[{region}]", weights, candidateVersion);
            if (!canonical.IsSuccess)
            {
                return canonical.Error;
            }

            regions.Add(region, canonical.Value);
        }

        if (shadow is not null && !RoutingTableRules.IsValidShadow(shadow))
        {
            return Error.Invalid("shadow", $"Shadow share {shadow.Share} or version {shadow.Version} is out of range; the share must be in 0..1 and the version positive.");
        }

        return new RoutingTable(model, generation, defaults.Value, regions.ToImmutable(), shadow, baselineVersion, candidateVersion);
    }

    /// <summary>All traffic to <paramref name="version"/>, labelled baseline.</summary>
    public static Result<RoutingTable> Single(string model, int version, long generation) =>
        Create(model, generation, [new RouteWeight(version, 100)], baselineVersion: version);

    /// <summary><paramref name="candidatePercent"/> % to the candidate, the rest to the baseline.</summary>
    public static Result<RoutingTable> Canary(string model, int baseline, int candidate, double candidatePercent, long generation) =>
        Create(
            model,
            generation,
            [new RouteWeight(baseline, 100 - candidatePercent), new RouteWeight(candidate, candidatePercent)],
            baselineVersion: baseline,
            candidateVersion: candidate);

    /// <summary>
    /// The blue-green flip: all traffic to <paramref name="toVersion"/> at once. The version
    /// flipped away from stays named as baseline so the flip can be compared and reverted.
    /// </summary>
    public static Result<RoutingTable> BlueGreen(string model, int fromVersion, int toVersion, long generation) =>
        Create(model, generation, [new RouteWeight(toVersion, 100)], baselineVersion: fromVersion, candidateVersion: toVersion);

    /// <summary>All live traffic to the baseline; <paramref name="share"/> of requests mirrored to the candidate.</summary>
    public static Result<RoutingTable> Shadowed(string model, int baseline, int candidate, double share, long generation) =>
        Create(
            model,
            generation,
            [new RouteWeight(baseline, 100)],
            shadow: new ShadowMirror(candidate, share),
            baselineVersion: baseline,
            candidateVersion: candidate);

    /// <summary>The split that applies in <paramref name="region"/> (the default when it has no override).</summary>
    public IReadOnlyList<RouteWeight> WeightsFor(string? region) =>
        region is not null && RegionOverrides.TryGetValue(region, out var weights) ? weights : DefaultWeights;

    private static ImmutableArray<int> ComputeRoutableVersions(
        ImmutableArray<RouteWeight> defaults,
        ImmutableDictionary<string, IReadOnlyList<RouteWeight>> regions,
        ShadowMirror? shadow)
    {
        var versions = new SortedSet<int>();
        foreach (var weight in defaults.Concat(regions.Values.SelectMany(w => w)))
        {
            if (weight.Percent > 0)
            {
                versions.Add(weight.Version);
            }
        }

        if (shadow is { Share: > 0 })
        {
            versions.Add(shadow.Version);
        }

        return [.. versions];
    }
}
