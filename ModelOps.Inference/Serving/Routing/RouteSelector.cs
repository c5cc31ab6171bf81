using ModelOps.Core.Serving.Routing;

namespace ModelOps.Inference.Serving.Routing;

/// <summary>
/// Pure routing: table + request attributes + caller-supplied uniform draws → decision.
/// With a routing key both buckets come from <see cref="StableRoutingHash"/>, so the same key
/// lands on the same version for a given table in every process; without one the draws decide.
/// </summary>
public static class RouteSelector
{
    /// <param name="draw">Uniform in [0,1); picks the version when there is no routing key.</param>
    /// <param name="mirrorDraw">An independent uniform in [0,1); decides mirroring when there is no routing key.</param>
    public static RouteDecision Select(RoutingTable table, string? routingKey, string? region, double draw, double mirrorDraw)
    {
        ArgumentNullException.ThrowIfNull(table);
        double routeBucket;
        double mirrorBucket;
        if (string.IsNullOrEmpty(routingKey))
        {
            ThrowIfNotUnit(draw, nameof(draw));
            ThrowIfNotUnit(mirrorDraw, nameof(mirrorDraw));
            routeBucket = draw;
            mirrorBucket = mirrorDraw;
        }
        else
        {
            routeBucket = StableRoutingHash.ToUnitInterval(StableRoutingHash.RoutingHash(table.Model, routingKey));
            mirrorBucket = StableRoutingHash.ToUnitInterval(StableRoutingHash.MirrorHash(table.Model, routingKey));
        }

        var version = Pick(table.WeightsFor(region), routeBucket);
        var arm = version == table.CandidateVersion ? Arm.Candidate : Arm.Baseline;
        var shadow = table.Shadow;
        var mirror = shadow is not null && shadow.Version != version && mirrorBucket < shadow.Share;
        return new RouteDecision(version, arm, mirror, mirror ? shadow!.Version : null); // shadow is non-null when mirror is true
    }

    /// <summary>The version whose cumulative-weight interval (in percent) holds <paramref name="bucket"/> × 100.</summary>
    internal static int Pick(IReadOnlyList<RouteWeight> weights, double bucket)
    {
        var point = bucket * 100;
        var cumulative = 0.0;
        var lastRouted = weights[0].Version;
        for (var i = 0; i < weights.Count; i++)
        {
            var weight = weights[i];
            if (weight.Percent <= 0)
            {
                continue;
            }

            lastRouted = weight.Version;
            cumulative += weight.Percent;
            if (point < cumulative)
            {
                return weight.Version;
            }
        }

        // Weights may sum to 100 - 1e-9; a bucket in that sliver goes to the last routed version.
        return lastRouted;
    }

    private static void ThrowIfNotUnit(double value, string name)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "A routing draw must be uniform in [0,1).");
        }
    }
}
