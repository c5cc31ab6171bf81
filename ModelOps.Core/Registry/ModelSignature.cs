namespace ModelOps.Core.Registry;

/// <summary>The tensors a model artifact takes and returns, in the artifact's declared order.</summary>
public sealed record ModelSignature(IReadOnlyList<TensorSpec> Inputs, IReadOnlyList<TensorSpec> Outputs);
