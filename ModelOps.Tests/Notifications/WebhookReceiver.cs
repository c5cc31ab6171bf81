using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ModelOps.Core.Notifications;

namespace ModelOps.Tests.Notifications;

/// <summary>
/// A real HTTP receiver on a loopback port (Kestrel): it verifies each POST's signature with the
/// shared secret, keeps what it received, and answers with the queued status codes, then 200.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _answers;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    private WebhookReceiver(WebApplication app, IEnumerable<int> answers)
    {
        _app = app;
        _answers = new ConcurrentQueue<int>(answers);
    }

    public string Url { get; private set; } = string.Empty;

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>Starts a receiver checking signatures under <paramref name="secret"/>, answering <paramref name="answers"/> first.</summary>
    public static async Task<WebhookReceiver> StartAsync(string secret, params int[] answers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, answers);
        app.MapPost("/hooks/incidents", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var headers = context.Request.Headers;
            var valid = WebhookSignature.Verify(secret, body, headers[WebhookSignature.Header]);
            receiver._received.Enqueue(new ReceivedWebhook(body, valid, headers[WebhookSignature.EventIdHeader].ToString(),
                headers[WebhookSignature.TimestampHeader].ToString(), headers[WebhookSignature.AttemptHeader].ToString()));
            return Results.StatusCode(receiver._answers.TryDequeue(out var status) ? status : StatusCodes.Status200OK);
        });
        await app.StartAsync();
        receiver.Url = $"{app.Urls.Single()}/hooks/incidents";
        return receiver;
    }

    /// <summary>What arrived once <paramref name="done"/> holds, or as it is after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!done(Received) && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        return Received;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record ReceivedWebhook(byte[] Body, bool SignatureValid, string EventId, string Timestamp, string Attempt)
{
    public IncidentEvent Event => IncidentEvent.FromJson(System.Text.Encoding.UTF8.GetString(Body))!; // The app only sends IncidentEvent bodies.
}
