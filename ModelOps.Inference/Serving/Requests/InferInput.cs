namespace ModelOps.Inference.Serving.Requests;

/// <summary>One decoded input tensor; <see cref="Data"/> is row-major and already finite-checked.</summary>
public sealed record InferInput(string Name, long[] Shape, string Datatype, float[] Data);
