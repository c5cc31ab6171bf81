using System.Text.Json;

namespace ModelOps.Core.Serving.Routing;

/// <summary>
/// What a replica says after a routing change committed: the model and the generation now live.
/// A replica already at that generation (or past it) has nothing to do; else it reads the table.
/// </summary>
public sealed record RoutingAnnouncement(string Model, long Generation)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToPayload() => JsonSerializer.Serialize(this, Json);

    /// <summary>The announcement in <paramref name="payload"/>, or null when it is not one (another sender on the channel).</summary>
    public static RoutingAnnouncement? Parse(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<RoutingAnnouncement>(payload, Json) is { Model.Length: > 0 } announcement ? announcement : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
