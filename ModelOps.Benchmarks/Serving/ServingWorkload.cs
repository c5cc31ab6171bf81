using ModelOps.Core.Demo;
using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Benchmarks.Serving;

/// <summary>
/// Requests drawn before any measurement: ClickWorld impressions as the named features a
/// predict call carries, and the same rows encoded for raw tensor calls. A power-of-two count,
/// so a worker picks row <c>i &amp; Mask</c>.
/// </summary>
public sealed class ServingWorkload
{
    private ServingWorkload(IReadOnlyDictionary<string, FeatureValue>[] features, float[][] encoded)
    {
        Features = features;
        Encoded = encoded;
    }

    public IReadOnlyDictionary<string, FeatureValue>[] Features { get; }

    public float[][] Encoded { get; }

    public int Mask => Features.Length - 1;

    public int Width => Encoded[0].Length;

    public static ServingWorkload Draw(FeatureEncoder encoder, int count = 4_096, int seed = 7)
    {
        if (count <= 0 || (count & (count - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The workload size must be a power of two.");
        }

        var world = new ClickWorld();
        var random = new Random(seed);
        var features = new IReadOnlyDictionary<string, FeatureValue>[count];
        var encoded = new float[count][];
        for (var i = 0; i < count; i++)
        {
            features[i] = world.DrawImpression(random).ToFeatures();
            var row = encoder.Encode(features[i]);
            // ClickWorld draws every feature the demo encoders require; a failure is a bug.
            encoded[i] = row.IsSuccess ? row.Value : throw new InvalidOperationException(row.Error.Detail);
        }

        return new ServingWorkload(features, encoded);
    }
}
