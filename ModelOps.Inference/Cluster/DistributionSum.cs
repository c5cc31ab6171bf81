using System.Text.Json;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Inference.Serving.Metrics;

namespace ModelOps.Inference.Cluster;

/// <summary>
/// Feature histograms and served-score bins published by replicas, added up over seconds and
/// replicas (counts add; categories add by name, so replicas that saw different categories still
/// line up), then read as the judge's <see cref="FeatureCounts"/> the way one process's store gives
/// them (<see cref="StoreMeasurements.Counts"/>). Stored per bucket as
/// <c>{"feature": {"o": observations, "n": nulls, "e": edges, "b": bins, "c": {"category": count}}}</c>.
/// </summary>
internal sealed class DistributionSum
{
    private readonly Dictionary<string, (long Observations, long Nulls, double[] Edges, long[] Bins, Dictionary<string, long> Categories)> _features = new(StringComparer.Ordinal);
    private long[]? _scoreBins;

    // The outer bin edges are ±∞.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static string? WriteFeatures(IReadOnlyDictionary<string, FeatureDistribution>? features) =>
        features is not { Count: > 0 } ? null : JsonSerializer.Serialize(features.ToDictionary(
            f => f.Key,
            f => new Stored(f.Value.Observations, f.Value.NullCount, [.. f.Value.BinEdges], [.. f.Value.BinCounts], new Dictionary<string, long>(f.Value.CategoryCounts, StringComparer.Ordinal)),
            StringComparer.Ordinal), Json);

    public void AddFeatures(string json)
    {
        foreach (var (name, stored) in JsonSerializer.Deserialize<Dictionary<string, Stored>>(json, Json)!) // written by WriteFeatures: never null
        {
            if (!_features.TryGetValue(name, out var sum))
            {
                sum = (0, 0, stored.E, new long[stored.B.Length], new Dictionary<string, long>(StringComparer.Ordinal));
            }

            for (var i = 0; i < Math.Min(sum.Bins.Length, stored.B.Length); i++)
            {
                sum.Bins[i] += stored.B[i];
            }

            foreach (var (category, count) in stored.C)
            {
                sum.Categories[category] = sum.Categories.GetValueOrDefault(category) + count;
            }

            _features[name] = (sum.Observations + stored.O, sum.Nulls + stored.N, sum.Edges, sum.Bins, sum.Categories);
        }
    }

    public void AddScores(long[] bins)
    {
        _scoreBins ??= new long[bins.Length];
        for (var i = 0; i < Math.Min(bins.Length, _scoreBins.Length); i++)
        {
            _scoreBins[i] += bins[i];
        }
    }

    /// <summary><paramref name="measurements"/> with these features and score bins (null where none were published).</summary>
    public ArmMeasurements Into(ArmMeasurements measurements) => measurements with
    {
        Features = _features.Count == 0 ? null : _features.ToDictionary(
            f => f.Key,
            f => StoreMeasurements.Counts(new FeatureDistribution(f.Key, f.Value.Observations, f.Value.Nulls, f.Value.Edges, f.Value.Bins, f.Value.Categories)),
            StringComparer.Ordinal),
        ScoreBins = _scoreBins,
    };

    private sealed record Stored(long O, long N, double[] E, long[] B, Dictionary<string, long> C);
}
