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
    private readonly Dictionary<string, FeatureTotal> _features = new(StringComparer.Ordinal);
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
            if (!_features.TryGetValue(name, out var total))
            {
                _features[name] = total = new FeatureTotal(stored.E, stored.B.Length);
            }

            total.Add(stored.O, stored.N, stored.B, stored.C);
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
            f => StoreMeasurements.Counts(f.Value.ToDistribution(f.Key)),
            StringComparer.Ordinal),
        ScoreBins = _scoreBins,
    };

    private sealed record Stored(long O, long N, double[] E, long[] B, Dictionary<string, long> C);
}
