namespace ModelOps.Inference.Serving.Requests;

/// <summary>A decoded Open Inference Protocol request; the shape and data are checked against the routed version.</summary>
public sealed record InferRequest(string Model, string? RequestId, IReadOnlyList<InferInput> Inputs, string? RoutingKey, string? Region);
