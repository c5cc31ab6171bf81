using System.Collections.Immutable;
using ModelOps.Core.Common;

namespace ModelOps.Core.Serving.Routing;

/// <summary>The checks behind <see cref="RoutingTable.Create"/>, kept apart so the record stays readable.</summary>
internal static class RoutingTableRules
{
    public static Result<ImmutableArray<RouteWeight>> Canonical(string field, IReadOnlyList<RouteWeight>? weights, int? candidateVersion)
    {
        if (weights is null || weights.Count == 0)
        {
            return Error.Invalid(field, "The split is empty; give at least one version with weight 100.");
        }

        var seen = new HashSet<int>();
        var sum = 0.0;
        foreach (var weight in weights)
        {
            if (weight.Version <= 0)
            {
                return Error.Invalid(field, $"Version {weight.Version} is not a registered version number; versions are positive.");
            }

            if (!double.IsFinite(weight.Percent) || weight.Percent < 0 || weight.Percent > 100)
            {
                return Error.Invalid(field, $"Weight {weight.Percent} of version {weight.Version} is outside 0..100.");
            }

            if (!seen.Add(weight.Version))
            {
                return Error.Invalid(field, $"Version {weight.Version} appears twice; merge its weights into one entry.");
            }

            sum += weight.Percent;
        }

        if (Math.Abs(sum - 100) > RoutingTable.WeightTolerance)
        {
            return Error.Invalid(field, $"Weights sum to {sum}, not 100; adjust them so they add up to 100.");
        }

        // Candidate last: see the ordering invariant on RoutingTable.
        return weights
            .OrderBy(w => w.Version == candidateVersion ? 1 : 0)
            .ThenBy(w => w.Version)
            .ToImmutableArray();
    }

    public static bool IsValidShadow(ShadowMirror shadow) =>
        shadow.Version > 0 && double.IsFinite(shadow.Share) && shadow.Share is >= 0 and <= 1;
}
