namespace ModelOps.Core.Registry;

/// <summary>An immutable registered version. Only <see cref="EverServed"/> and <see cref="FrozenByIncident"/> change after registration.</summary>
public sealed class ModelVersion
{
    public long Id { get; set; }

    public required string Model { get; set; }

    public int Version { get; set; }

    /// <summary><c>sha256:&lt;hex&gt;</c> of the artifact bytes; the blob's address in the store.</summary>
    public required string Digest { get; set; }

    public long SizeBytes { get; set; }

    public string? TrainingRunId { get; set; }

    public string? DatasetHash { get; set; }

    public string? EncoderName { get; set; }

    public int? EncoderVersion { get; set; }

    public string? Description { get; set; }

    public required string MetricsJson { get; set; }

    /// <summary>The score at or above which this version's answer is a positive decision (registration metadata; divergence reports count flips here).</summary>
    public double? DecisionThreshold { get; set; }

    public required string InputsJson { get; set; }

    public required string OutputsJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }

    public bool EverServed { get; set; }

    public string? FrozenByIncident { get; set; }
}
