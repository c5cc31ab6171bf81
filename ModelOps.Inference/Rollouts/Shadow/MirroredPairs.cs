using ModelOps.Core.Divergence;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Rollouts.Shadow;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Log;

namespace ModelOps.Inference.Rollouts.Shadow;

/// <summary>
/// A shadow rollout's pairs from the inference log: each mirrored row of the candidate (request id
/// <c>&lt;id&gt;~shadow</c>, see <see cref="Serving.Mirroring.ShadowServer"/>) joined to the served row of the
/// same request on the baseline, through the request-id index. The served row gives the segments
/// (its region, time and features: the mirror copy carries the same).
/// </summary>
public sealed class MirroredPairs(InferenceLogDatabase database) : IShadowPairs
{
    /// <summary>The suffix a mirror copy's request id carries.</summary>
    public const string ShadowSuffix = "~shadow";

    public async Task<IReadOnlyList<DivergencePair>> ReadAsync(
        string model, int baseline, int candidate, DateTimeOffset from, FeatureEncoderSpec? encoder, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = LogCommand.Create(connection, $"""
            SELECT b."At", b."Region", b."FeaturesJson", b."Score", s."Score"
            FROM "InferenceLog" s
            JOIN "InferenceLog" b ON b."RequestId" = substr(s."RequestId", 1, length(s."RequestId") - {ShadowSuffix.Length})
            WHERE s."Model" = @Model AND s."Version" = @Candidate AND s."At" >= @From AND s."Arm" = @Shadow AND s."Status" = 'ok' AND s."Score" IS NOT NULL
              AND b."Model" = @Model AND b."Version" = @Baseline AND b."Arm" <> @Shadow AND b."Status" = 'ok' AND b."Score" IS NOT NULL
            ORDER BY s."At" DESC, s."Id" DESC LIMIT @Max
            """)
            .With("Model", model)
            .With("Candidate", candidate)
            .With("Baseline", baseline)
            .With("From", StoredTime.ToStored(from))
            .With("Shadow", Arm.Shadow.ToWire())
            .With("Max", max);
        var pairs = new List<DivergencePair>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var features = LoggedFeatures.Parse(reader.IsDBNull(2) ? null : reader.GetString(2));
            var segments = SegmentKeys.For(reader.IsDBNull(1) ? null : reader.GetString(1), StoredTime.FromStored(reader.GetInt64(0)), features, encoder);
            pairs.Add(new DivergencePair(reader.GetDouble(3), reader.GetDouble(4), segments));
        }

        return pairs;
    }
}
