namespace ModelOps.Core.Registry.Encoding;

/// <summary>How a named request feature becomes encoder output slots.</summary>
public enum FeatureKind
{
    /// <summary>A number, normalised as (x - mean) / std, or one-hot over buckets when buckets are set.</summary>
    Numeric,

    /// <summary>A string, one-hot over the vocabulary; an unknown category encodes all zeros.</summary>
    Categorical,

    /// <summary>Accepted in requests (e.g. a user id for the log) but never encoded: width 0.</summary>
    Ignored,
}
