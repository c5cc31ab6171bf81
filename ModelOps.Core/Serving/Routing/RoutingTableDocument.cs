using System.Text.Json;
using ModelOps.Core.Common;

namespace ModelOps.Core.Serving.Routing;

/// <summary>
/// The wire and storage form of a <see cref="RoutingTable"/> (camelCase JSON). Converting back
/// goes through <see cref="RoutingTable.Create"/>, so a stored or posted table is validated
/// exactly like one built in code.
/// </summary>
public sealed record RoutingTableDocument(
    string Model,
    long Generation,
    IReadOnlyList<RouteWeight> Weights,
    IReadOnlyDictionary<string, IReadOnlyList<RouteWeight>>? Regions,
    ShadowMirror? Shadow,
    int? BaselineVersion,
    int? CandidateVersion)
{
    public static RoutingTableDocument From(RoutingTable table) => new(
        table.Model,
        table.Generation,
        [.. table.DefaultWeights],
        table.RegionOverrides.Count == 0 ? null : table.RegionOverrides.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase),
        table.Shadow,
        table.BaselineVersion,
        table.CandidateVersion);

    public static Result<RoutingTable> Parse(string json)
    {
        RoutingTableDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<RoutingTableDocument>(json, JsonSerializerOptions.Web);
        }
        catch (JsonException exception)
        {
            return Error.Invalid("table", $"The stored routing table is not valid JSON ({exception.Message}).");
        }

        return document is null ? Error.Invalid("table", "The stored routing table is empty.") : document.ToTable();
    }

    public Result<RoutingTable> ToTable() =>
        RoutingTable.Create(Model, Generation, Weights ?? [], Regions, Shadow, BaselineVersion, CandidateVersion);

    public string ToJson() => JsonSerializer.Serialize(this, JsonSerializerOptions.Web);
}
