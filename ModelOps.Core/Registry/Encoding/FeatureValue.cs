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
    /// Reads one JSON value. Booleans become 1/0 so flags can be sent naturally; objects and
    /// arrays are refused because no encoder kind consumes them.
    /// </summary>
    public static Result<FeatureValue> FromJson(JsonElement element, string? name = null) => element.ValueKind switch
    {
        JsonValueKind.Number when element.TryGetDouble(out var number) => FromNumber(number),
        JsonValueKind.String => FromText(element.GetString() ?? string.Empty),
        JsonValueKind.Null or JsonValueKind.Undefined => Null,
        JsonValueKind.True => FromNumber(1),
        JsonValueKind.False => FromNumber(0),
        _ => Error.Invalid(
            name is null ? "features" : $"features.{name}",
            $"Feature '{name ?? "?"}' is a JSON {element.ValueKind.ToString().ToLowerInvariant()} that cannot be used; send a finite number, a string or null."),
    };

    public override string ToString() => Kind switch
    {
        FeatureValueKind.Number => Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        FeatureValueKind.Text => Text ?? string.Empty,
        _ => "null",
    };
}
