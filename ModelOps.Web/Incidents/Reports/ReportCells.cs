using System.Globalization;
using System.Text.Json;

namespace ModelOps.Web.Incidents.Reports;

/// <summary>How values read generically from an incident's JSON print in a report cell: invariant culture, four significant digits, "—" for nothing.</summary>
public static class ReportCells
{
    public const string None = "—";

    /// <summary>Whole numbers (counts) in full, others to four significant digits.</summary>
    public static string Of(double? value) => value switch
    {
        null => None,
        { } v when v == Math.Floor(v) && Math.Abs(v) < 1e12 => v.ToString("0", CultureInfo.InvariantCulture),
        { } v => v.ToString("G4", CultureInfo.InvariantCulture),
    };

    public static string Of(DateTimeOffset? value) => value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : None;

    public static string Of(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) ? Of(value) : None;

    public static string Of(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => None,
        JsonValueKind.String when value.TryGetDateTimeOffset(out var at) && value.GetString()!.Length >= 19 => Of(at), // A string: GetString is not null.
        JsonValueKind.String => value.GetString() ?? None,
        JsonValueKind.Number => Of(value.GetDouble()),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        _ => value.GetRawText(),
    };

    /// <summary>The named child of an object, or an undefined element.</summary>
    public static JsonElement Child(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) ? value : default;

    public static IEnumerable<JsonElement> Items(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : [];

    /// <summary>"[low, high]" when either end is known.</summary>
    public static string Interval(JsonElement verdict)
    {
        var (low, high) = (Of(verdict, "ciLow"), Of(verdict, "ciHigh"));
        return low == None && high == None ? None : $"[{low}, {high}]";
    }

    /// <summary>An object's properties as rows of name and value, for sections read generically (the replay report).</summary>
    public static ReportBlock.Table Properties(JsonElement element) => new(
        ["field", "value"],
        [.. (element.ValueKind == JsonValueKind.Object ? element.EnumerateObject() : Enumerable.Empty<JsonProperty>())
            .Select(p => (IReadOnlyList<string>)[p.Name, Of(p.Value)])]);
}
