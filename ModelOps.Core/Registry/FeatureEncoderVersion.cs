namespace ModelOps.Core.Registry;

/// <summary>A stored, immutable feature-encoder spec; models name it as <c>name@version</c>. Only <see cref="RetiredByIncident"/> changes.</summary>
public sealed class FeatureEncoderVersion
{
    public required string Name { get; set; }

    public int Version { get; set; }

    public required string SpecJson { get; set; }

    public int OutputWidth { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }

    /// <summary>
    /// The incident that retired it: its candidate was rolled back and no other live version pairs
    /// with it, so new versions may not be registered with it until that incident is closed.
    /// </summary>
    public string? RetiredByIncident { get; set; }
}
