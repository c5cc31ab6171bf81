namespace ModelOps.Core.Notifications;

/// <summary>
/// One event for one webhook: an outbox row written in the same transaction as the incident change
/// it announces (so a crash between the change and the send loses nothing), then updated by the
/// dispatcher with each attempt's outcome. <see cref="Body"/> is the exact JSON sent and signed;
/// every retry sends the same bytes with the same event id.
/// </summary>
public sealed class NotificationDelivery
{
    public required string Id { get; set; }

    /// <summary>Shared by every webhook's copy of one event; receivers de-duplicate on it.</summary>
    public required string EventId { get; set; }

    /// <summary>One of <see cref="IncidentEvents"/>.</summary>
    public required string EventType { get; set; }

    public required string IncidentId { get; set; }

    public required string Url { get; set; }

    public required string Body { get; set; }

    /// <summary>One of <see cref="DeliveryStatuses"/>.</summary>
    public required string Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }
}
