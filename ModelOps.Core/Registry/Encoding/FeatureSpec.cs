namespace ModelOps.Core.Registry.Encoding;

/// <summary>
/// One named request feature and how it is encoded. Fields that do not apply to
/// <see cref="Kind"/> are ignored by the encoder and should be left unset.
/// </summary>
public sealed record FeatureSpec
{
    public required string Name { get; init; }

    public required FeatureKind Kind { get; init; }

    /// <summary>Numeric normalisation centre; unused when <see cref="Buckets"/> is set.</summary>
    public double Mean { get; init; }

    /// <summary>Numeric normalisation scale; must be positive unless <see cref="Buckets"/> is set.</summary>
    public double Std { get; init; } = 1.0;

    /// <summary>
    /// Optional strictly ascending upper-bound edges. Value x lands in the first bucket i with
    /// x &lt; Buckets[i], or in the last (overflow) bucket, so the width is Buckets.Count + 1.
    /// Bucketing lets a linear model learn a non-monotonic effect (e.g. hour of day).
    /// </summary>
    public IReadOnlyList<double>? Buckets { get; init; }

    /// <summary>Categorical one-hot slots, one per entry, in this order.</summary>
    public IReadOnlyList<string>? Vocabulary { get; init; }

    /// <summary>A missing or null required feature is an error rather than a default.</summary>
    public bool Required { get; init; }

    /// <summary>
    /// Raw value used for a missing or null numeric feature that is not required. When unset,
    /// a plain numeric encodes the mean (0 after normalisation) and a bucketed one all zeros.
    /// </summary>
    public double? NullValue { get; init; }

    /// <summary>The inference log masks personal features.</summary>
    public bool Personal { get; init; }

    /// <summary>Number of output slots this feature occupies.</summary>
    public int Width => Kind switch
    {
        FeatureKind.Numeric => Buckets is { Count: > 0 } buckets ? buckets.Count + 1 : 1,
        FeatureKind.Categorical => Vocabulary?.Count ?? 0,
        _ => 0,
    };
}
