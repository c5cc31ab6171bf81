using System.Security.Cryptography;
using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Core.Demo;

/// <summary>
/// Trains the three ctr-ranker versions the demo rolls out: v1 (hour as a line, decent),
/// v2 (bucketed hour, the intended champion) and v3 (v2's encoder trained on data whose night
/// labels are coin flips, so it is fine by day and worse at night — the regression a segment
/// guardrail should catch). Everything derives from one seed.
/// </summary>
public sealed class DemoModelFamily(ILinearModelSerializer serializer)
{
    public const string ModelName = "ctr-ranker";
    public const int TrainingRows = 40_000;
    public const int HoldoutRows = 20_000;

    // Fixed offsets give the holdout and the label corruption their own random streams.
    public static int HoldoutSeed(int seed) => unchecked(seed + 1_000_003);

    public static int CorruptionSeed(int seed) => unchecked(seed + 2_000_003);

    public static IReadOnlyList<LabeledImpression> DrawHoldout(int seed) =>
        new ClickWorld().DrawSample(HoldoutRows, new Random(HoldoutSeed(seed)));

    public IReadOnlyList<DemoModelVersion> Build(int seed)
    {
        var world = new ClickWorld();
        var clean = world.DrawSample(TrainingRows, new Random(seed));
        var corrupted = CorruptNight(clean, new Random(CorruptionSeed(seed)));
        var holdout = DrawHoldout(seed);
        var v1 = Encoder(CtrEncoderSpecs.Version1());
        var v2 = Encoder(CtrEncoderSpecs.Version2());
        return
        [
            Train(1, v1, clean, holdout, $"demo-ctr-v1-seed{seed}", "Hour as a normalised number; misses the evening peak and the night trough."),
            Train(2, v2, clean, holdout, $"demo-ctr-v2-seed{seed}", "Hour as 24 one-hot buckets; learns the daily shape. Intended champion."),
            Train(3, v2, corrupted, holdout, $"demo-ctr-v3-seed{seed}", "Same encoder as v2, trained on data with corrupted night labels (22:00-05:59); worse at night."),
        ];
    }

    private DemoModelVersion Train(
        int label,
        FeatureEncoder encoder,
        IReadOnlyList<LabeledImpression> training,
        IReadOnlyList<LabeledImpression> holdout,
        string runId,
        string description)
    {
        var model = new LogisticRegressionTrainer().Train(EncodeAll(encoder, training), [.. training.Select(row => row.Clicked)]);
        var scores = EncodeAll(encoder, holdout).Select(row => model.Predict(row)).ToArray();
        return new DemoModelVersion(
            label,
            serializer.Serialize(model),
            encoder.Spec.Name,
            encoder.Spec.Version,
            encoder.Spec,
            model,
            runId,
            DatasetHash(training),
            description,
            CtrMetrics.Compute(holdout, scores));
    }

    private static IReadOnlyList<LabeledImpression> CorruptNight(IReadOnlyList<LabeledImpression> clean, Random random) =>
    [
        .. clean.Select(row => ClickWorld.IsNight(row.Impression.Hour)
            ? row with { Clicked = random.NextDouble() < 0.5 }
            : row),
    ];

    private static FeatureEncoder Encoder(FeatureEncoderSpec spec)
    {
        var encoder = FeatureEncoder.Create(spec);
        // The demo specs are fixed in code; an invalid one is a bug, not an expected failure.
        return encoder.IsSuccess ? encoder.Value : throw new InvalidOperationException(encoder.Error.Detail);
    }

    private static float[][] EncodeAll(FeatureEncoder encoder, IReadOnlyList<LabeledImpression> rows) =>
    [
        .. rows.Select(row =>
        {
            var encoded = encoder.Encode(row.Impression.ToFeatures());
            return encoded.IsSuccess ? encoded.Value : throw new InvalidOperationException(encoded.Error.Detail);
        }),
    ];

    /// <summary>"sha256:&lt;hex&gt;" over a fixed little-endian layout of every row, label included.</summary>
    public static string DatasetHash(IReadOnlyList<LabeledImpression> rows)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            foreach (var (impression, clicked) in rows)
            {
                writer.Write(impression.Hour);
                writer.Write(impression.Device);
                writer.Write(impression.Region);
                writer.Write(impression.ItemPopularity);
                writer.Write(impression.UserTenureDays);
                writer.Write(impression.UserId);
                writer.Write(clicked);
            }
        }

        return $"sha256:{Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()))}";
    }
}
