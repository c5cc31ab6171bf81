using System.ComponentModel.DataAnnotations;

namespace ModelOps.Core.Notifications;

/// <summary>
/// The <c>ModelOps:Notifications</c> section: where incident events are POSTed, and how hard the
/// dispatcher tries. Every webhook needs an absolute http(s) URL and a secret of at least 16
/// characters (an unsigned event would let anyone forge an incident).
/// </summary>
public sealed class NotificationOptions : IValidatableObject
{
    public const string Section = "ModelOps:Notifications";

    public const int MinSecretLength = 16;

    public IList<WebhookOptions> Webhooks { get; } = [];

    /// <summary>Attempts per event and webhook before it is marked failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait before the second attempt; doubled for each one after, up to <see cref="RetryMaxDelayMs"/>.</summary>
    [Range(10, 3_600_000)]
    public int RetryBaseDelayMs { get; set; } = 2_000;

    [Range(10, 86_400_000)]
    public int RetryMaxDelayMs { get; set; } = 300_000;

    /// <summary>How long one POST may take before it counts as failed.</summary>
    [Range(100, 120_000)]
    public int TimeoutMs { get; set; } = 10_000;

    /// <summary>How often the dispatcher looks for due deliveries.</summary>
    [Range(100, 60_000)]
    public int DispatchIntervalMs { get; set; } = 1_000;

    /// <summary>Most deliveries attempted per look.</summary>
    [Range(1, 1_000)]
    public int BatchSize { get; set; } = 50;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Webhooks.Count; i++)
        {
            var webhook = Webhooks[i];
            if (!Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                yield return new ValidationResult($"{Section}:Webhooks:{i}:Url must be an absolute http or https URL.", [$"Webhooks:{i}:Url"]);
            }

            if (webhook.Secret is not { Length: >= MinSecretLength })
            {
                yield return new ValidationResult(
                    $"{Section}:Webhooks:{i}:Secret must be set (at least {MinSecretLength} characters, from the environment or a secret store) so receivers can verify the signature.",
                    [$"Webhooks:{i}:Secret"]);
            }
        }

        if (RetryMaxDelayMs < RetryBaseDelayMs)
        {
            yield return new ValidationResult($"{Section}:RetryMaxDelayMs must not be below RetryBaseDelayMs.", [nameof(RetryMaxDelayMs)]);
        }
    }
}
