namespace ModelOps.Core.Registry.Encoding;

/// <summary>Which of the three shapes a <see cref="FeatureValue"/> holds.</summary>
public enum FeatureValueKind
{
    Null,
    Number,
    Text,
}
