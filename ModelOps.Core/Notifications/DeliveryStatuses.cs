namespace ModelOps.Core.Notifications;

public static class DeliveryStatuses
{
    /// <summary>Not delivered yet; attempted again at <see cref="NotificationDelivery.NextAttemptAt"/>.</summary>
    public const string Pending = "pending";

    /// <summary>A 2xx answer was received.</summary>
    public const string Delivered = "delivered";

    /// <summary>Every allowed attempt failed, or the webhook is no longer configured.</summary>
    public const string Failed = "failed";

    public static IReadOnlyList<string> All { get; } = [Pending, Delivered, Failed];
}
