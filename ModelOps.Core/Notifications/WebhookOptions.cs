namespace ModelOps.Core.Notifications;

/// <summary>One receiver: <c>ModelOps:Notifications:Webhooks:N:Url</c> and <c>:Secret</c>.</summary>
public sealed class WebhookOptions
{
    public string? Url { get; set; }

    /// <summary>The HMAC-SHA256 key; from configuration or the environment only, never committed.</summary>
    public string? Secret { get; set; }
}
