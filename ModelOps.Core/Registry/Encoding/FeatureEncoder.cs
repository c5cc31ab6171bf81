using System.Collections.Frozen;
using ModelOps.Core.Common;

namespace ModelOps.Core.Registry.Encoding;

/// <summary>
/// Turns named raw features into the model input vector described by a validated
/// <see cref="FeatureEncoderSpec"/>. Immutable after <see cref="Create"/>, so one instance is
/// shared by every request thread.
/// </summary>
public sealed class FeatureEncoder
{
    private readonly FeatureSpec[] _features;
    private readonly int[] _offsets;
    private readonly double[]?[] _buckets;
    private readonly FrozenDictionary<string, int>?[] _vocabularies;

    private FeatureEncoder(FeatureEncoderSpec spec)
    {
        Spec = spec;
        _features = [.. spec.Features];
        _offsets = new int[_features.Length];
        _buckets = new double[]?[_features.Length];
        _vocabularies = new FrozenDictionary<string, int>?[_features.Length];
        var offset = 0;
        for (var i = 0; i < _features.Length; i++)
        {
            var feature = _features[i];
            _offsets[i] = offset;
            offset += feature.Width;
            if (feature.Kind == FeatureKind.Numeric && feature.Buckets is { Count: > 0 } buckets)
            {
                _buckets[i] = [.. buckets];
            }

            if (feature.Kind == FeatureKind.Categorical && feature.Vocabulary is { } vocabulary)
            {
                _vocabularies[i] = vocabulary.Select((category, slot) => (category, slot))
                    .ToFrozenDictionary(pair => pair.category, pair => pair.slot, StringComparer.Ordinal);
            }
        }

        OutputWidth = offset;
    }

    public FeatureEncoderSpec Spec { get; }

    public int OutputWidth { get; }

    public static Result<FeatureEncoder> Create(FeatureEncoderSpec spec)
    {
        var validated = spec.Validate();
        return validated.IsSuccess ? new FeatureEncoder(validated.Value) : validated.Error;
    }

    public Result<float[]> Encode(IReadOnlyDictionary<string, FeatureValue> features)
    {
        var vector = new float[OutputWidth];
        var written = EncodeInto(features, vector);
        return written.IsSuccess ? vector : written.Error;
    }

    /// <summary>
    /// Writes the encoded vector into the first <see cref="OutputWidth"/> slots of
    /// <paramref name="destination"/> and returns that width. The success path allocates
    /// nothing; on failure the destination holds partial output and must not be used.
    /// </summary>
    public Result<int> EncodeInto(IReadOnlyDictionary<string, FeatureValue> features, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (destination.Length < OutputWidth)
        {
            throw new ArgumentException($"The destination holds {destination.Length} slots; the encoder writes {OutputWidth}.", nameof(destination));
        }

        var matched = 0;
        for (var i = 0; i < _features.Length; i++)
        {
            var present = features.TryGetValue(_features[i].Name, out var value);
            matched += present ? 1 : 0;
            var slots = destination.Slice(_offsets[i], _features[i].Width);
            var error = EncodeFeature(i, present, value, slots);
            if (error is not null)
            {
                return error;
            }
        }

        // Counting matches instead of enumerating keeps the success path free of an enumerator.
        return matched == features.Count ? OutputWidth : UnknownFeature(features);
    }

    private Error? EncodeFeature(int index, bool present, FeatureValue value, Span<float> slots)
    {
        var feature = _features[index];
        slots.Clear();
        if (feature.Kind == FeatureKind.Ignored)
        {
            return null;
        }

        if (value.Kind == FeatureValueKind.Null)
        {
            return feature.Required ? MissingRequired(feature, present) : EncodeNull(index, slots);
        }

        return feature.Kind == FeatureKind.Numeric
            ? EncodeNumber(index, value, slots)
            : EncodeCategory(index, value, slots);
    }

    private Error? EncodeNull(int index, Span<float> slots)
    {
        var feature = _features[index];
        if (feature.Kind == FeatureKind.Numeric && feature.NullValue is { } substitute)
        {
            return EncodeNumber(index, FeatureValue.FromNumber(substitute), slots);
        }

        // Unset: a plain numeric encodes its mean (slot already 0); a bucket or category encodes no slot.
        return null;
    }

    private Error? EncodeNumber(int index, FeatureValue value, Span<float> slots)
    {
        var feature = _features[index];
        if (value.Kind != FeatureValueKind.Number)
        {
            return Error.Invalid(Field(feature), $"Feature '{feature.Name}' is numeric but got the string '{value.Text}'; send a number.");
        }

        var x = value.Number;
        if (!double.IsFinite(x))
        {
            return Error.Invalid(Field(feature), $"Feature '{feature.Name}' is {x}; send a finite number.");
        }

        if (_buckets[index] is { } edges)
        {
            slots[BucketOf(edges, x)] = 1f;
        }
        else
        {
            slots[0] = (float)((x - feature.Mean) / feature.Std);
        }

        return null;
    }

    private Error? EncodeCategory(int index, FeatureValue value, Span<float> slots)
    {
        var feature = _features[index];
        if (value.Kind != FeatureValueKind.Text)
        {
            return Error.Invalid(Field(feature), $"Feature '{feature.Name}' is categorical but got the number {value}; send one of its categories as a string.");
        }

        // An unseen category leaves every slot at zero: the model falls back to its bias.
        if (_vocabularies[index] is { } vocabulary && vocabulary.TryGetValue(value.Text!, out var slot))
        {
            slots[slot] = 1f;
        }

        return null;
    }

    private static int BucketOf(double[] edges, double x)
    {
        // First edge strictly greater than x; edges are strictly ascending (validated).
        var low = 0;
        var high = edges.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (x < edges[middle])
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    private static Error MissingRequired(FeatureSpec feature, bool present) => Error.Invalid(
        Field(feature),
        present
            ? $"Required feature '{feature.Name}' is null; send a value for it."
            : $"Required feature '{feature.Name}' is missing; add it to the request.");

    private Error UnknownFeature(IReadOnlyDictionary<string, FeatureValue> features)
    {
        var known = _features.Select(feature => feature.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = features.Keys.Where(name => !known.Contains(name)).Order(StringComparer.Ordinal).First();
        return Error.Invalid(
            $"features.{unknown}",
            $"Feature '{unknown}' is not in encoder {Spec.Name} v{Spec.Version}; remove it or use one of: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
    }

    private static string Field(FeatureSpec feature) => $"features.{feature.Name}";
}
