using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Core.Serving.Log;

/// <summary>
/// What the serving path hands to the inference log for one request, before any serialisation:
/// the log writer turns it into an <see cref="InferenceLogEntry"/> off the request path, masking
/// the features that <see cref="EncoderSpec"/> marks personal.
/// </summary>
/// <param name="Features">Raw named features of a predict request; null for a tensor request.</param>
/// <param name="EncoderSpec">The encoder used; its personal features are masked in the log.</param>
/// <param name="Input">The input tensor (row-major); null when the request failed before encoding.</param>
/// <param name="Outputs">The model outputs (row-major); null on error.</param>
public sealed record InferenceRecord(
    string RequestId,
    DateTimeOffset At,
    string Model,
    int Version,
    Arm Arm,
    string? RoutingKey,
    string? Region,
    IReadOnlyDictionary<string, FeatureValue>? Features,
    FeatureEncoderSpec? EncoderSpec,
    float[]? Input,
    float[]? Outputs,
    double? Score,
    double LatencyMs,
    RequestStatus Status,
    string? Error);
