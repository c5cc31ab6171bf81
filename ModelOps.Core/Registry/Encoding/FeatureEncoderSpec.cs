using System.Text.Json;
using System.Text.Json.Serialization;
using ModelOps.Core.Common;

namespace ModelOps.Core.Registry.Encoding;

/// <summary>
/// A named, versioned recipe that turns a request's named raw features into the model's input
/// vector. The order of <see cref="Features"/> is the order of the output slots, so a model is
/// only valid with the exact spec version it was trained with.
/// </summary>
public sealed record FeatureEncoderSpec(string Name, int Version, IReadOnlyList<FeatureSpec> Features)
{
    // Read-only after construction; System.Text.Json freezes options on first use.
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>Total number of output slots.</summary>
    [JsonIgnore]
    public int OutputWidth => Features.Sum(feature => feature.Width);

    public static Result<FeatureEncoderSpec> Parse(string json) => Parse(() => JsonSerializer.Deserialize<FeatureEncoderSpec>(json, JsonOptions));

    /// <summary>
    /// Reads a spec sent as a request body. Deserializing the element itself, not its raw text,
    /// turns text that is not UTF-8 into a <see cref="JsonException"/> with a path (raw text
    /// would throw <see cref="InvalidOperationException"/>, a 500).
    /// </summary>
    public static Result<FeatureEncoderSpec> Parse(JsonElement json) => Parse(() => json.Deserialize<FeatureEncoderSpec>(JsonOptions));

    private static Result<FeatureEncoderSpec> Parse(Func<FeatureEncoderSpec?> deserialize)
    {
        FeatureEncoderSpec? spec;
        try
        {
            spec = deserialize();
        }
        catch (JsonException exception)
        {
            var field = JsonText.Field(exception.Path) is { } path ? $"spec.{path}" : "spec";
            return Error.Invalid(field, $"The encoder spec cannot be read at '{field}' (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine}): {JsonText.Describe(exception)}. Send an object with name, version and features.");
        }

        return spec is null
            ? Error.Invalid("spec", "The encoder spec is empty; send an object with name, version and features.")
            : spec.Validate();
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Checks every rule the encoder relies on; returns this spec when all hold.</summary>
    public Result<FeatureEncoderSpec> Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            return Error.Invalid("spec.name", "The encoder spec has no name; set name, e.g. \"ctr-features\".");
        }

        if (Version < 1)
        {
            return Error.Invalid("spec.version", $"Encoder version {Version} is not allowed; versions start at 1.");
        }

        if (Features is null || Features.Count == 0)
        {
            return Error.Invalid("spec.features", "The encoder spec has no features; list at least one.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Features.Count; i++)
        {
            var feature = Features[i];
            var field = $"spec.features[{i}]";
            if (feature is null || string.IsNullOrWhiteSpace(feature.Name))
            {
                return Error.Invalid(field, $"Feature {i} has no name; give every feature a name.");
            }

            if (!seen.Add(feature.Name))
            {
                return Error.Invalid(field, $"Feature '{feature.Name}' is listed twice; feature names must be unique.");
            }

            var problem = FeatureProblem(feature);
            if (problem is not null)
            {
                return Error.Invalid(field, problem);
            }
        }

        return this;
    }

    private static string? FeatureProblem(FeatureSpec feature) => feature.Kind switch
    {
        FeatureKind.Numeric => NumericProblem(feature),
        FeatureKind.Categorical => CategoricalProblem(feature),
        FeatureKind.Ignored => feature.Required
            ? $"Feature '{feature.Name}' is ignored and required; an ignored feature cannot be required."
            : null,
        _ => $"Feature '{feature.Name}' has unknown kind {feature.Kind}; use numeric, categorical or ignored.",
    };

    private static string? NumericProblem(FeatureSpec feature)
    {
        if (feature.NullValue is { } nullValue && !double.IsFinite(nullValue))
        {
            return $"Feature '{feature.Name}' has a non-finite nullValue; use a finite number.";
        }

        if (feature.Buckets is { Count: > 0 } buckets)
        {
            for (var i = 0; i < buckets.Count; i++)
            {
                if (!double.IsFinite(buckets[i]) || (i > 0 && buckets[i] <= buckets[i - 1]))
                {
                    return $"Feature '{feature.Name}' has bucket edges that are not finite and strictly ascending; fix edge {i}.";
                }
            }

            return null;
        }

        if (!double.IsFinite(feature.Mean))
        {
            return $"Feature '{feature.Name}' has a non-finite mean; use a finite number.";
        }

        return double.IsFinite(feature.Std) && feature.Std > 0
            ? null
            : $"Feature '{feature.Name}' has std {feature.Std}; std must be a positive finite number.";
    }

    private static string? CategoricalProblem(FeatureSpec feature)
    {
        if (feature.Vocabulary is not { Count: > 0 } vocabulary)
        {
            return $"Feature '{feature.Name}' is categorical with an empty vocabulary; list at least one category.";
        }

        var distinct = new HashSet<string>(StringComparer.Ordinal);
        foreach (var category in vocabulary)
        {
            if (category is null || !distinct.Add(category))
            {
                return $"Feature '{feature.Name}' has a null or repeated category '{category}'; categories must be unique strings.";
            }
        }

        return null;
    }
}
