namespace ModelOps.Inference.Serving.Sessions;

/// <summary>One FP32 output of a run, row-major.</summary>
public sealed record TensorOutput(string Name, long[] Shape, float[] Data);
