using System.Text.Json;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Inference.Cluster;

/// <summary>A bucket's segment tallies as stored: <c>{"dimension": {"value": [n, sum, sumOfSquares]}}</c>.</summary>
internal static class SegmentJson
{
    public static string Write(IReadOnlyDictionary<string, IReadOnlyDictionary<string, ArmTally>> segments) =>
        JsonSerializer.Serialize(segments.ToDictionary(
            d => d.Key,
            d => d.Value.ToDictionary(v => v.Key, v => new[] { v.Value.N, v.Value.Sum, v.Value.SumSquares }, StringComparer.Ordinal),
            StringComparer.Ordinal));

    public static Dictionary<string, IReadOnlyDictionary<string, ArmTally>> Read(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, double[]>>>(json)!.ToDictionary( // written by Write: never null
            d => d.Key,
            d => (IReadOnlyDictionary<string, ArmTally>)d.Value.ToDictionary(v => v.Key, v => new ArmTally((long)v.Value[0], v.Value[1], v.Value[2]), StringComparer.Ordinal),
            StringComparer.Ordinal);
}
