namespace ModelOps.Core.Registry;

/// <summary>The contract's version object. <see cref="EncoderVersion"/> reads <c>name@version</c>.</summary>
public sealed record ModelVersionView(
    string Name,
    int Version,
    string Digest,
    IReadOnlyList<TensorSpec> Inputs,
    IReadOnlyList<TensorSpec> Outputs,
    string? TrainingRunId,
    string? DatasetHash,
    string? EncoderVersion,
    IReadOnlyDictionary<string, double> Metrics,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    string? Description,
    long SizeBytes,
    bool Frozen,
    bool EverServed,
    double? DecisionThreshold = null);
