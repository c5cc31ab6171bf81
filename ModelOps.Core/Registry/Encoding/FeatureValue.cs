using System.Text.Json;
using ModelOps.Core.Common;

namespace ModelOps.Core.Registry.Encoding;

/// <summary>
/// A raw request feature: a number, a string or null. Invariant: <see cref="Text"/> is
/// non-null exactly when <see cref="Kind"/> is <see cref="FeatureValueKind.Text"/>.
/// A struct so that encoding a request's features does not allocate per value.
/// </summary>
public readonly record struct FeatureValue
{
    private FeatureValue(FeatureValueKind kind, double number, string? text)
    {
        Kind = kind;
        Number = number;
        Text = text;
    }

    public static FeatureValue Null => default;

    public FeatureValueKind Kind { get; }

    public double Number { get; }

    public string? Text { get; }

    public static FeatureValue FromNumber(double number) => new(FeatureValueKind.Number, number, null);

    public static FeatureValue FromText(string text) =>
        new(FeatureValueKind.Text, 0, text ?? throw new ArgumentNullException(nameof(text)));

    /// <summary>
    /// Reads one JSON feature value: a finite number, a string or null. Anything else (a boolean,
    /// an object, an array, a number beyond a double) is refused naming <c>features.{name}</c>.
    /// </summary>
    public static Result<FeatureValue> FromJson(JsonElement element, string name) => element.ValueKind switch
    {
        JsonValueKind.Number when element.TryGetDouble(out var number) && double.IsFinite(number) => FromNumber(number),
        JsonValueKind.Number => Error.Invalid($"features.{name}", $"Feature '{name}' is out of the range of a double; send a finite number."),
        JsonValueKind.String => JsonText.TryGetString(element, out var text) ? FromText(text) : JsonText.Undecodable($"features.{name}"),
        JsonValueKind.Null => Null,
        _ => Error.Invalid(
            $"features.{name}",
            $"Feature '{name}' is a JSON {element.ValueKind.ToString().ToLowerInvariant()}; send a number, a string or null."),
    };

    public override string ToString() => Kind switch
    {
        FeatureValueKind.Number => Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        FeatureValueKind.Text => Text ?? string.Empty,
        _ => "null",
    };
}
