using System.Text.Json;
using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Inference.Serving.Log;

/// <summary>The log's features column read back as feature values; a value that does not parse is left out (it cannot be a segment).</summary>
internal static class LoggedFeatures
{
    public static IReadOnlyDictionary<string, FeatureValue>? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        var features = new Dictionary<string, FeatureValue>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (FeatureValue.FromJson(property.Value, property.Name) is { IsSuccess: true } value)
            {
                features[property.Name] = value.Value;
            }
        }

        return features;
    }
}
