using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelOps.Core.Persistence;

namespace ModelOps.Core.Notifications;

/// <summary>
/// Sends the due outbox rows: POSTs each body, signed, and records the outcome on the row — a 2xx
/// delivers it; anything else (status, timeout, refused connection) schedules the next attempt with
/// exponential backoff until <see cref="NotificationOptions.MaxAttempts"/>, then marks it failed.
/// Redirects are not followed (a 3xx is a failure), so a signed body only goes where configured.
/// </summary>
public sealed partial class NotificationDispatcher(
    ModelOpsDbContext db, HttpClient http, IOptionsMonitor<NotificationOptions> options, TimeProvider time, ILogger<NotificationDispatcher> logger)
{
    /// <summary>Attempts every delivery due now (at most one batch); returns how many were attempted.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = time.GetUtcNow();
        var due = await db.Set<NotificationDelivery>()
            .Where(d => d.Status == DeliveryStatuses.Pending && d.NextAttemptAt <= now)
            .OrderBy(d => d.NextAttemptAt)
            .Take(settings.BatchSize)
            .ToListAsync(cancellationToken);
        foreach (var delivery in due)
        {
            await AttemptAsync(delivery, settings, cancellationToken);

            // Saved one by one: a crash mid-batch re-sends at most the row in flight (receivers de-duplicate on the event id).
            await db.SaveChangesAsync(cancellationToken);
        }

        return due.Count;
    }

    private async Task AttemptAsync(NotificationDelivery delivery, NotificationOptions settings, CancellationToken cancellationToken)
    {
        var webhook = settings.Webhooks.FirstOrDefault(w => string.Equals(w.Url, delivery.Url, StringComparison.Ordinal));
        delivery.Attempts++;
        delivery.LastAttemptAt = time.GetUtcNow();
        if (webhook?.Secret is not { } secret)
        {
            Fail(delivery, null, "The webhook is no longer configured (ModelOps:Notifications:Webhooks); nothing was sent.");
            return;
        }

        var (status, error) = await SendAsync(delivery, secret, settings.TimeoutMs, cancellationToken);
        delivery.LastStatusCode = status;
        if (error is null)
        {
            delivery.Status = DeliveryStatuses.Delivered;
            delivery.DeliveredAt = time.GetUtcNow();
            delivery.LastError = null;
            Log.Delivered(logger, delivery.Id, delivery.EventType, delivery.Attempts);
            return;
        }

        if (delivery.Attempts >= settings.MaxAttempts)
        {
            Fail(delivery, status, $"{error} Gave up after {delivery.Attempts} attempt(s).");
            return;
        }

        delivery.LastError = error;
        delivery.NextAttemptAt = time.GetUtcNow() + RetrySchedule.After(
            delivery.Attempts, TimeSpan.FromMilliseconds(settings.RetryBaseDelayMs), TimeSpan.FromMilliseconds(settings.RetryMaxDelayMs));
        Log.Retrying(logger, delivery.Id, delivery.EventType, delivery.Attempts, error);
    }

    /// <summary>The status code (when an answer came) and, unless it was a 2xx, what went wrong.</summary>
    private async Task<(int? Status, string? Error)> SendAsync(NotificationDelivery delivery, string secret, int timeoutMs, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, body));
        request.Headers.Add(WebhookSignature.EventIdHeader, delivery.EventId);
        request.Headers.Add(WebhookSignature.EventTypeHeader, delivery.EventType);
        request.Headers.Add(WebhookSignature.TimestampHeader, delivery.CreatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.Id);
        request.Headers.Add(WebhookSignature.AttemptHeader, delivery.Attempts.ToString(CultureInfo.InvariantCulture));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(timeoutMs));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? (code, null) : (code, $"The receiver answered {code} {response.ReasonPhrase}.");
        }
        catch (HttpRequestException e)
        {
            // The receiver is down or unreachable: an expected outcome of a delivery, recorded on the row and retried.
            return (null, $"No answer: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"No answer within {timeoutMs} ms.");
        }
    }

    private void Fail(NotificationDelivery delivery, int? status, string error)
    {
        delivery.Status = DeliveryStatuses.Failed;
        delivery.LastStatusCode = status;
        delivery.LastError = error;
        Log.GaveUp(logger, delivery.Id, delivery.EventType, delivery.Attempts, error);
    }

    // URLs are never logged: a webhook URL often carries its own access token.
    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} ({EventType}) delivered on attempt {Attempt}")]
        public static partial void Delivered(ILogger logger, string deliveryId, string eventType, int attempt);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} ({EventType}) attempt {Attempt} failed, will retry: {Error}")]
        public static partial void Retrying(ILogger logger, string deliveryId, string eventType, int attempt, string error);

        [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId} ({EventType}) failed for good after {Attempt} attempt(s): {Error}")]
        public static partial void GaveUp(ILogger logger, string deliveryId, string eventType, int attempt, string error);
    }
}
