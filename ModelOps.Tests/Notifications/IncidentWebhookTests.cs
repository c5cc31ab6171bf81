using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Incidents;
using ModelOps.Core.Notifications;
using ModelOps.Core.Persistence;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Rollouts.Engine;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Notifications;

/// <summary>
/// The real app (real SQLite, real Quartz dispatcher) against a real receiver on a loopback port:
/// each incident event arrives signed over its exact bytes, failures are retried with backoff, and
/// the outbox outlives the process.
/// </summary>
public sealed class IncidentWebhookTests : IAsyncLifetime
{
    internal const string Secret = "test-webhook-secret-0123456789";

    private readonly List<InferenceAppFixture> _apps = [];
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "modelops-tests", Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Rollback_WebhookConfigured_ReceiverGetsIncidentOpenedSignedOverItsBody()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        var app = await StartAppAsync(receiver.Url);
        using var client = await app.Factory.CreateClientForAsync("operator");

        var incidentId = await RollBackACanaryAsync(client);
        var received = await receiver.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(15));

        var webhook = Assert.Single(received);
        Assert.True(webhook.SignatureValid);
        Assert.Equal((IncidentEvents.Opened, incidentId, "ctr-ranker"), (webhook.Event.Type, webhook.Event.Incident.Id, webhook.Event.Incident.Model));
        Assert.Equal(webhook.Event.Id, webhook.EventId);
        Assert.Equal(webhook.Event.OccurredAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), webhook.Timestamp);
        // A receiver holding another secret cannot be fooled: the signature binds the bytes to this one.
        Assert.False(WebhookSignature.Verify("another-secret-0123456789", webhook.Body, WebhookSignature.Sign(Secret, webhook.Body)));
        // The receiver answered before the dispatcher recorded the outcome: wait for the record, then read it as a reviewer.
        await UntilAsync(app, d => d.GetProperty("status").GetString() == "delivered");
        var delivery = Assert.Single(await DeliveriesAsync(app, "reviewer"));
        Assert.Equal(("delivered", 1, 200), (delivery.GetProperty("status").GetString(), delivery.GetProperty("attempts").GetInt32(), delivery.GetProperty("lastStatusCode").GetInt32()));
    }

    [Fact]
    public async Task Delivery_ReceiverFirstAnswers500_RetriedWithTheSameSignedEventUntilDelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, 500, 500);
        var app = await StartAppAsync(receiver.Url);
        using var client = await app.Factory.CreateClientForAsync("operator");

        await RollBackACanaryAsync(client);
        var received = await receiver.WaitForAsync(r => r.Count >= 3, TimeSpan.FromSeconds(20));

        Assert.Equal(["1", "2", "3"], received.Select(r => r.Attempt));
        Assert.All(received, r => Assert.True(r.SignatureValid));
        Assert.Single(received.Select(r => Convert.ToHexString(r.Body)).Distinct());
        var delivery = await UntilAsync(app, d => d.GetProperty("status").GetString() == "delivered");
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("lastError").ValueKind);
    }

    [Fact]
    public async Task Outbox_ProcessStopsBeforeTheReceiverAccepts_NextProcessDeliversTheSameEvent()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret, 503, 503);
        var first = await StartAppAsync(receiver.Url);
        using (var client = await first.Factory.CreateClientForAsync("operator"))
        {
            await RollBackACanaryAsync(client);
        }

        var failing = await UntilAsync(first, d => d.GetProperty("attempts").GetInt32() >= 1);
        Assert.Equal("pending", failing.GetProperty("status").GetString());
        await first.DisposeAsync();
        _apps.Remove(first);
        var seenBeforeRestart = receiver.Received.Count;

        var second = await StartAppAsync(receiver.Url);
        var delivered = await UntilAsync(second, d => d.GetProperty("status").GetString() == "delivered", TimeSpan.FromSeconds(30));

        Assert.Equal(failing.GetProperty("eventId").GetString(), delivered.GetProperty("eventId").GetString());
        Assert.True(delivered.GetProperty("attempts").GetInt32() > seenBeforeRestart);
        Assert.Equal(1, receiver.Received.Count(r => r.SignatureValid && r.Attempt == delivered.GetProperty("attempts").GetInt32().ToString(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task IncidentChange_VerificationRecordedThenClosed_EachChangeIsAnEvent()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        var app = await StartAppAsync(receiver.Url);
        using var client = await app.Factory.CreateClientForAsync("operator");
        var incidentId = await RollBackACanaryAsync(client);

        // What the verification job does: a tracked change of the incident's verification status.
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
            var incident = await db.Set<Incident>().SingleAsync(i => i.Id == incidentId);
            incident.VerificationStatus = IncidentStates.Recovered;
            incident.VerificationCheckedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
        }

        using (var closed = await client.PostAsJsonAsync($"/api/incidents/{incidentId}/close", new { rootCause = "drill" }))
        {
            Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        }

        var received = await receiver.WaitForAsync(r => r.Count >= 3, TimeSpan.FromSeconds(15));
        Assert.Equal([IncidentEvents.Opened, IncidentEvents.VerificationRecorded, IncidentEvents.Closed], received.Select(r => r.Event.Type));
        Assert.Equal("recovered", received.Single(r => r.Event.Type == IncidentEvents.VerificationRecorded).Event.Incident.Verification.Status);
        Assert.Equal("closed", received.Single(r => r.Event.Type == IncidentEvents.Closed).Event.Incident.Status);
    }

    [Theory]
    [InlineData("operator", HttpStatusCode.Forbidden)]
    [InlineData("approver", HttpStatusCode.Forbidden)]
    [InlineData("reviewer", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    public async Task Deliveries_ByRole_OnlyAdminAndReviewerRead(string user, HttpStatusCode expected)
    {
        var app = await StartAppAsync("http://127.0.0.1:9/unused");
        using var client = await app.Factory.CreateClientForAsync(user);

        using var response = await client.GetAsync(new Uri("/api/notifications/deliveries", UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("?status=lost", "status")]
    [InlineData("?limit=0", "limit")]
    public async Task Deliveries_BadFilter_ProblemNamingTheField(string query, string field)
    {
        var app = await StartAppAsync("http://127.0.0.1:9/unused");
        using var client = await app.Factory.CreateClientForAsync("reviewer");

        using var response = await client.GetAsync(new Uri($"/api/notifications/deliveries{query}", UriKind.Relative));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    private async Task<InferenceAppFixture> StartAppAsync(string webhookUrl)
    {
        var app = new InferenceAppFixture();
        app.Factory.Settings["ModelOps:DataDirectory"] = _dataDirectory;
        app.Factory.Settings["ModelOps:Notifications:Webhooks:0:Url"] = webhookUrl;
        app.Factory.Settings["ModelOps:Notifications:Webhooks:0:Secret"] = Secret;
        app.Factory.Settings["ModelOps:Notifications:RetryBaseDelayMs"] = "200";
        app.Factory.Settings["ModelOps:Notifications:DispatchIntervalMs"] = "100";
        _apps.Add(app);
        await app.InitializeAsync();
        return app;
    }

    /// <summary>Starts a canary of v3 and rolls it back by hand: one incident opened.</summary>
    private static async Task<string> RollBackACanaryAsync(HttpClient client)
    {
        var id = await RolloutDriver.StartAsync(client, new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            steps = new[] { new { weight = 10.0, bakeSeconds = 600 } },
            guardrails = new object[] { new { metric = "error_rate", limit = 0.5, windowSeconds = 60, sustainSeconds = 2, severity = "hard" } },
        });
        using var rolledBack = await client.PostAsJsonAsync($"/api/rollouts/{id}/rollback", new { reason = "webhook test" });
        Assert.Equal(HttpStatusCode.OK, rolledBack.StatusCode);
        var rollout = await client.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}");
        return rollout.GetProperty("incidentId").GetString()!;
    }

    private static async Task<IReadOnlyList<JsonElement>> DeliveriesAsync(InferenceAppFixture app, string user = "admin")
    {
        using var client = await app.Factory.CreateClientForAsync(user);
        return await client.GetFromJsonAsync<List<JsonElement>>("/api/notifications/deliveries") ?? [];
    }

    private static async Task<JsonElement> UntilAsync(InferenceAppFixture app, Func<JsonElement, bool> done, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        JsonElement delivery;
        do
        {
            await Task.Delay(100);
            delivery = Assert.Single(await DeliveriesAsync(app));
        }
        while (!done(delivery) && DateTime.UtcNow < until);

        return delivery;
    }
}
