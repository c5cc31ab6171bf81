using ModelOps.Core.Serving.Routing;

namespace ModelOps.Inference.Serving.Requests;

/// <summary>A predict answer: <see cref="Score"/> is the first model output, after the version's online calibration.</summary>
public sealed record Prediction(string RequestId, string Model, int Version, string? EncoderVersion, double Score, Arm Arm);
