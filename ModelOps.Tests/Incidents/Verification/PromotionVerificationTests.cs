using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Audit;
using ModelOps.Core.Incidents;
using ModelOps.Core.Incidents.Verification;
using ModelOps.Core.Notifications;
using ModelOps.Core.Persistence;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Rollouts.Engine;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Incidents.Verification;

/// <summary>
/// Post-promotion verification on the real app (real Quartz sweep every second, real judge, real
/// chaos): the demo's v3 is promoted after one clean 50 % step; a fault on v3 after the promotion
/// opens an incident with trigger <c>verification</c>, a clean promotion holds without one.
/// </summary>
public sealed class PromotionVerificationTests : IAsyncLifetime
{
    private readonly InferenceAppFixture _app = new();
    private HttpClient _operator = null!; // Set in InitializeAsync.

    public async Task InitializeAsync()
    {
        _app.Factory.Settings["ModelOps:Gates:IntervalSeconds"] = "1";

        // Nothing listens there: the outbox row is written whatever becomes of its delivery.
        _app.Factory.Settings["ModelOps:Notifications:Webhooks:0:Url"] = "http://127.0.0.1:9/hook";
        _app.Factory.Settings["ModelOps:Notifications:Webhooks:0:Secret"] = "promotion-verification-secret";
        await _app.InitializeAsync();
        _operator = await _app.Factory.CreateClientForAsync("operator");
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Promotion_FaultOnThePromotedVersionWithinTheWindow_OpensAVerificationIncidentAuditedAndNotified()
    {
        var id = await PromoteAsync();
        await IncidentScenario.InjectLatencyAsync(_operator, version: 3);

        var incident = await TrafficUntilAsync(async () => await IncidentOfAsync(id), TimeSpan.FromSeconds(45));

        Assert.NotNull(incident);
        var body = incident.Value;
        Assert.Equal(("verification", "modelops-verifier"), (body.GetProperty("trigger").GetProperty("kind").GetString(), body.GetProperty("trigger").GetProperty("actor").GetString()));
        Assert.Equal((3, 2), (body.GetProperty("fromVersion").GetInt32(), body.GetProperty("toVersion").GetInt32()));
        var verification = IncidentScenario.Verification(body);
        Assert.Equal("notRecovered", verification.GetProperty("status").GetString());
        var check = Assert.Single(verification.GetProperty("checks").EnumerateArray());
        Assert.Equal(("latency_p95", "limit", "fail"), (check.GetProperty("metric").GetString(), check.GetProperty("bound").GetString(), check.GetProperty("outcome").GetString()));
        Assert.True(check.GetProperty("observed").GetDouble() >= IncidentScenario.FaultMs, check.ToString());
        var evidence = body.GetProperty("evidence");
        var arms = evidence.GetProperty("series").GetProperty("arms").EnumerateArray()
            .Select(a => (a.GetProperty("arm").GetString(), a.GetProperty("version").GetInt32(), a.GetProperty("buckets").GetArrayLength())).ToList();
        Assert.Contains(arms, a => a is ("candidate", 3, > 0)); // v3 during the rollout
        Assert.Contains(arms, a => a is ("baseline", 3, > 0)); // v3 as champion, through the window
        Assert.True(evidence.GetProperty("samples").GetProperty("count").GetInt32() > 0, evidence.GetProperty("samples").ToString());
        var incidentId = body.GetProperty("id").GetString()!;
        await using var scope = _app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        var opened = await db.Set<AuditEntry>().SingleAsync(e => e.Action == "incident.opened" && e.Target == Incident.AuditTarget(incidentId));
        Assert.Equal("modelops-verifier", opened.Actor);
        Assert.Contains(IncidentEvents.Opened, await db.Set<NotificationDelivery>().Where(d => d.IncidentId == incidentId).Select(d => d.EventType).ToListAsync());
        Assert.Equal(PromotionVerificationStates.Failed, (await db.Set<PromotionWatch>().SingleAsync(w => w.RolloutId == id)).Status);
    }

    [Fact]
    public async Task Promotion_CleanWindow_HoldsWithoutAnIncident()
    {
        var id = await PromoteAsync();

        var watch = await TrafficUntilAsync(async () => await WatchAsync(id) is { Status: not PromotionVerificationStates.Pending } w ? w : null, TimeSpan.FromSeconds(45));

        Assert.Equal(PromotionVerificationStates.Held, watch?.Status);
        Assert.Null(await IncidentOfAsync(id));
        await using var scope = _app.Factory.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Set<AuditEntry>().SingleAsync(e => e.Action == "promotion.verified");
        Assert.Contains("\"held\"", audit.Details, StringComparison.Ordinal);
    }

    private async Task<string> PromoteAsync()
    {
        var id = await RolloutDriver.StartAsync(_operator, new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            steps = new[] { new { weight = 50.0, bakeSeconds = 2 } },
            guardrails = new object[] { new { metric = "latency_p95", limit = IncidentScenario.LimitMs, windowSeconds = 60, sustainSeconds = 2, severity = "hard" } },
            verification = new { withinSeconds = 10 },
        });
        var rollout = await RolloutDriver.UntilAsync(_app, _operator, id, r => RolloutDriver.IsIn(r, "promoted"), TimeSpan.FromSeconds(45));
        Assert.True(RolloutDriver.IsIn(rollout, "promoted"), rollout.ToString());
        Assert.Equal([3], await RolloutDriver.RoutedWhenSettledAsync(_app, 3));
        return id;
    }

    private async Task<JsonElement?> IncidentOfAsync(string rolloutId)
    {
        var list = await _operator.GetFromJsonAsync<JsonElement>("/api/incidents?model=ctr-ranker");
        var found = list.EnumerateArray().Where(i => i.GetProperty("rolloutId").GetString() == rolloutId).Select(i => i.GetProperty("id").GetString()).FirstOrDefault();
        return found is null ? null : await _operator.GetFromJsonAsync<JsonElement>($"/api/incidents/{found}");
    }

    private async Task<PromotionWatch?> WatchAsync(string rolloutId)
    {
        await using var scope = _app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Set<PromotionWatch>().AsNoTracking().SingleOrDefaultAsync(w => w.RolloutId == rolloutId);
    }

    /// <summary>Sends prediction traffic until <paramref name="probe"/> answers (or the time is up).</summary>
    private async Task<T?> TrafficUntilAsync<T>(Func<Task<T?>> probe, TimeSpan timeout)
    {
        using var stop = new CancellationTokenSource(timeout);
        var workers = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                using var response = await _app.Client.PostAsJsonAsync("/inference/ctr-ranker/predict", new { features = InferenceAppFixture.Features(hour: i % 24, userId: $"p{worker}-{i}") }, CancellationToken.None);
            }
        })).ToList();
        T? found;
        do
        {
            await Task.Delay(250, CancellationToken.None);
            found = await probe();
        }
        while (found is null && !stop.IsCancellationRequested);

        await stop.CancelAsync();
        await Task.WhenAll(workers);
        return found;
    }
}
