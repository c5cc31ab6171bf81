using ModelOps.Core.Registry.Encoding;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Inference.Serving;

/// <summary>
/// One request as the recorder takes it: where it was routed (<see cref="Version"/> and
/// <see cref="Arm"/> are the routed version's, even when the baseline answered a fallback),
/// what it carried, and how it ended. A struct passed by reference: recording allocates nothing
/// of its own.
/// </summary>
/// <param name="Encoder">The encoder of the version that ran (its personal features are masked in the log).</param>
/// <param name="Start">The request's start, as a <see cref="TimeProvider"/> timestamp.</param>
/// <param name="CountInMetrics">False for a request refused before it ran (bad input is the caller's fault, not the version's).</param>
/// <param name="RawScore">The uncalibrated first output, which trains the version's calibration when feedback arrives.</param>
public readonly record struct ServedRequest(
    string RequestId,
    string Model,
    int Version,
    Arm Arm,
    FeatureEncoderSpec? Encoder,
    string? RoutingKey,
    string? Region,
    IReadOnlyDictionary<string, FeatureValue>? Features,
    long Start,
    RequestStatus Status = RequestStatus.Ok,
    string? Error = null,
    float[]? Input = null,
    float[]? Outputs = null,
    double? Score = null,
    double? RawScore = null,
    bool CountInMetrics = true);
