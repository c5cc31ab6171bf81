using System.Text.Json;
using System.Text.RegularExpressions;
using ModelOps.Core.Common;

namespace ModelOps.Core.Registry;

/// <summary>Input rules of the registry, each failing with the field and the rule.</summary>
public static partial class RegistryRules
{
    public const string NameRule = "1-64 characters: lowercase letters, digits, '-', '_' or '.', starting with a letter or digit";

    public static Error? CheckName(string field, string? name) =>
        name is not null && NamePattern().IsMatch(name)
            ? null
            : Error.Invalid(field, $"'{name}' is not a valid {field}: use {NameRule}.");

    public static Result<Dictionary<string, double>> ParseMetrics(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new Dictionary<string, double>();
        }

        const string Fix = "Send a JSON object of metric name to number, e.g. {\"auc\":0.81}.";
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Error.Invalid("metrics", $"metrics must be a JSON object. {Fix}");
            }

            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.Number || !double.IsFinite(property.Value.GetDouble()))
                {
                    return Error.Invalid("metrics", $"metric '{property.Name}' is not a finite number. {Fix}");
                }

                metrics[property.Name] = property.Value.GetDouble();
            }

            return metrics;
        }
        catch (JsonException ex)
        {
            return Error.Invalid("metrics", $"metrics is not valid JSON ({ex.Message}). {Fix}");
        }
    }

    /// <summary>Absent is fine (divergence reports then use a default); present must be a finite number.</summary>
    public static Result<double?> ParseDecisionThreshold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (double?)null;
        }

        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : Error.Invalid("decisionThreshold", $"decisionThreshold '{text}' is not a finite number: send the score at or above which an answer is a positive decision, e.g. 0.12.");
    }

    public static Result<(string Name, int Version)> ParseEncoderReference(string reference)
    {
        var at = reference.LastIndexOf('@');
        return at > 0 && int.TryParse(reference[(at + 1)..], out var version) && version > 0
            ? (reference[..at], version)
            : Error.Invalid("encoderVersion", $"'{reference}' is not an encoder reference; use name@version, e.g. ctr-features@2.");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
