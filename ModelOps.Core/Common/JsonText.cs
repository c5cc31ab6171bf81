using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace ModelOps.Core.Common;

/// <summary>
/// Reads JSON strings that may not decode. <see cref="JsonDocument"/> accepts a string token
/// without checking its text; only <c>GetString()</c> (or a property's <c>Name</c>) decodes it,
/// and then throws <see cref="InvalidOperationException"/>, not <see cref="JsonException"/>, for
/// bytes that are not UTF-8 or an escaped lone surrogate such as <c>\ud800</c>. Going through
/// here turns that client mistake into an <see cref="Error"/> instead of a 500; a string that
/// decodes costs nothing extra.
/// </summary>
public static class JsonText
{
    /// <summary>The text of a String element; false when the element is not a string or its text does not decode.</summary>
    public static bool TryGetString(JsonElement element, [NotNullWhen(true)] out string? text)
    {
        text = null;
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            text = element.GetString()!; // a String element always has a value
            return true;
        }
        catch (InvalidOperationException)
        {
            // The element is a string, so the only failure left is text that does not decode.
            return false;
        }
    }

    /// <summary>A property's name; false when it does not decode.</summary>
    public static bool TryGetName(JsonProperty property, [NotNullWhen(true)] out string? name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = null;
            return false;
        }
    }

    /// <summary>The problem for a string (or, with <paramref name="what"/>, a name) that does not decode, naming where it is.</summary>
    public static Error Undecodable(string field, string what = "value") =>
        Error.Invalid(field, $"A {what} in '{field}' is not valid UTF-8 text (or holds a lone surrogate escape such as \\ud800); send the body as UTF-8 JSON.");

    /// <summary>
    /// Why System.Text.Json could not read a value, in one short clause for a problem detail:
    /// its own messages name .NET types and end with position information the caller reports apart.
    /// </summary>
    public static string Describe(JsonException exception)
    {
        var reason = exception.InnerException switch
        {
            InvalidOperationException { InnerException: DecoderFallbackException } => "it holds bytes that are not valid UTF-8",
            InvalidOperationException inner => FirstSentence(inner.Message), // e.g. a lone surrogate escape, or a number where text belongs
            _ when exception.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) => "the value has the wrong JSON type",
            _ => FirstSentence(exception.Message),
        };
        return reason.Length <= 160 ? reason : reason[..160] + "…";
    }

    /// <summary>The field a JSON path names ("$.a.b" → "a.b", "$[0]" → "[0]"), or null for the root.</summary>
    public static string? Field(string? path) =>
        path is null or "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path[1..];

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).TrimEnd('.');
    }
}
