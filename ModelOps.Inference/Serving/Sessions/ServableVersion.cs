using ModelOps.Core.Registry;
using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Inference.Serving.Sessions;

/// <summary>
/// Everything serving needs to know about one registered version: where its bytes are, its
/// signature, and the encoder it was trained with (null when the model takes raw tensors only).
/// </summary>
public sealed record ServableVersion(
    string Model,
    int Version,
    string Digest,
    string ArtifactPath,
    IReadOnlyList<TensorSpec> Inputs,
    IReadOnlyList<TensorSpec> Outputs,
    FeatureEncoder? Encoder)
{
    /// <summary>The encoder as <c>name@version</c>, as the registry and the log name it.</summary>
    public string? EncoderRef => Encoder is null ? null : $"{Encoder.Spec.Name}@{Encoder.Spec.Version}";
}
