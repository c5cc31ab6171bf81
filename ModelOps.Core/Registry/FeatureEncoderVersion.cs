namespace ModelOps.Core.Registry;

/// <summary>A stored, immutable feature-encoder spec; models name it as <c>name@version</c>.</summary>
public sealed class FeatureEncoderVersion
{
    public required string Name { get; set; }

    public int Version { get; set; }

    public required string SpecJson { get; set; }

    public int OutputWidth { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }
}
