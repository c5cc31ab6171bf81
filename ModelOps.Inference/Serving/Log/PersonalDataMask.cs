using System.Text.Json;
using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// Keeps personal feature values out of the inference log: a feature the encoder spec marks
/// <see cref="FeatureSpec.Personal"/> is written as <see cref="Masked"/> whatever its value
/// (null included, so not even presence leaks). Features unknown to the spec, or all features
/// when there is no spec, are not personal by definition and are written as sent.
/// </summary>
public static class PersonalDataMask
{
    public const string Masked = "***";

    public static bool IsPersonal(FeatureEncoderSpec? spec, string feature)
    {
        if (spec is null)
        {
            return false;
        }

        // A linear scan: specs have a handful of features, cheaper than building a set per row.
        foreach (var candidate in spec.Features)
        {
            if (candidate.Personal && string.Equals(candidate.Name, feature, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes the features as one JSON object with personal values masked.</summary>
    public static void WriteJson(Utf8JsonWriter writer, IReadOnlyDictionary<string, FeatureValue> features, FeatureEncoderSpec? spec)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in features)
        {
            writer.WritePropertyName(name);
            if (IsPersonal(spec, name))
            {
                writer.WriteStringValue(Masked);
                continue;
            }

            switch (value.Kind)
            {
                case FeatureValueKind.Number when double.IsFinite(value.Number):
                    writer.WriteNumberValue(value.Number);
                    break;
                case FeatureValueKind.Text:
                    writer.WriteStringValue(value.Text);
                    break;
                default:
                    writer.WriteNullValue();
                    break;
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>The features as a JSON object string with personal values masked.</summary>
    public static string ToJson(IReadOnlyDictionary<string, FeatureValue> features, FeatureEncoderSpec? spec)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteJson(writer, features, spec);
        }

        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }
}
