using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Inference.Serving.Requests;

public sealed record PredictRequest(string Model, IReadOnlyDictionary<string, FeatureValue> Features, string? RoutingKey, string? Region, string? RequestId = null);
