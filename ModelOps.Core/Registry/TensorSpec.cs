namespace ModelOps.Core.Registry;

/// <summary>
/// One input or output tensor of a model. <see cref="Datatype"/> uses the Open Inference
/// Protocol names ("FP32", "INT64", "BYTES", ...) so the registry and the V2 endpoints speak
/// the same vocabulary; a dynamic dimension is -1.
/// </summary>
public sealed record TensorSpec(string Name, string Datatype, IReadOnlyList<long> Shape);
