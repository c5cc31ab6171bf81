using ModelOps.Core.Notifications;

namespace ModelOps.Web.Notifications;

/// <summary>One delivery outcome as <c>GET /api/notifications/deliveries</c> shows it; the URL without user info or query (where tokens hide).</summary>
public sealed record DeliveryView(
    string Id,
    string EventId,
    string Event,
    string IncidentId,
    string Url,
    string Status,
    int Attempts,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt)
{
    public static DeliveryView From(NotificationDelivery d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(d.Id, d.EventId, d.EventType, d.IncidentId, Redact(d.Url), d.Status, d.Attempts, d.LastStatusCode, d.LastError,
            d.CreatedAt, d.LastAttemptAt, d.Status == DeliveryStatuses.Pending ? d.NextAttemptAt : null, d.DeliveredAt);
    }

    internal static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? parsed.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : "(invalid url)";
}
