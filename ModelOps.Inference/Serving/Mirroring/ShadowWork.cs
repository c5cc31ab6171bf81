using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Inference.Serving.Mirroring;

/// <summary>A copy of a live request to replay on the shadow version after the caller was answered.</summary>
public sealed record ShadowWork(
    string RequestId,
    string Model,
    int Version,
    IReadOnlyDictionary<string, FeatureValue>? Features,
    float[]? Input,
    int Rows,
    string? RoutingKey,
    string? Region);
