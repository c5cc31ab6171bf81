using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelOps.Core.Audit;
using ModelOps.Core.Incidents;
using ModelOps.Core.Persistence;
using ModelOps.Inference.Serving.Log;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Incidents.Verification;

/// <summary>
/// Post-rollback verification on the real app: real SQLite, the real Quartz jobs (every second),
/// the real judge and chaos. A fault on the candidate only leaves the target healthy (recovered);
/// the same fault moved onto the target after the rollback does not (notRecovered, escalated).
/// </summary>
public sealed class IncidentVerificationTests : IAsyncLifetime
{
    private readonly InferenceAppFixture _app = new();
    private HttpClient _operator = null!; // Set in InitializeAsync.
    private HttpClient _reviewer = null!;

    public async Task InitializeAsync()
    {
        _app.Factory.Settings["ModelOps:Gates:IntervalSeconds"] = "1";
        await _app.InitializeAsync();
        _operator = await _app.Factory.CreateClientForAsync("operator");
        _reviewer = await _app.Factory.CreateClientForAsync("reviewer");
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        _reviewer.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Verification_FaultOnTheCandidateClearedAfterTheRollback_RecordsRecoveredAndAllowsClosing()
    {
        var (_, incidentId) = await IncidentScenario.RollBackAsync(_app, _operator);
        await IncidentScenario.ClearFaultsAsync(_operator);

        var incident = await IncidentScenario.TrafficUntilVerifiedAsync(_app, _reviewer, incidentId, TimeSpan.FromSeconds(40));

        var verification = IncidentScenario.Verification(incident);
        Assert.Equal("recovered", verification.GetProperty("status").GetString());
        Assert.False(verification.GetProperty("escalated").GetBoolean());
        var check = Assert.Single(verification.GetProperty("checks").EnumerateArray());
        Assert.Equal(("latency_p95", "limit", true, "pass"), (check.GetProperty("metric").GetString(), check.GetProperty("bound").GetString(), check.GetProperty("tripped").GetBoolean(), check.GetProperty("outcome").GetString()));
        Assert.Equal(IncidentScenario.LimitMs, check.GetProperty("expected").GetDouble());
        Assert.True(check.GetProperty("observed").GetDouble() <= IncidentScenario.LimitMs);
        Assert.True(check.GetProperty("samples").GetInt64() >= 100, check.ToString());
        Assert.Single(await AuditAsync("incident.verified", Incident.AuditTarget(incidentId)));
        using (var approver = await _app.Factory.CreateClientForAsync("approver"))
        using (var refused = await approver.PostAsJsonAsync($"/api/incidents/{incidentId}/close", new { rootCause = "approvers decide approvals" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode); // The contract: Reviewer or Operator.
        }

        using var closed = await _reviewer.PostAsJsonAsync($"/api/incidents/{incidentId}/close", new { rootCause = "v3 slowed down by an injected fault" });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
    }

    [Fact]
    public async Task Verification_FaultMovedOntoTheTargetAfterTheRollback_RecordsNotRecoveredAndEscalates()
    {
        var (_, incidentId) = await IncidentScenario.RollBackAsync(_app, _operator);
        await IncidentScenario.InjectLatencyAsync(_operator, version: 2);

        var incident = await IncidentScenario.TrafficUntilVerifiedAsync(_app, _reviewer, incidentId, TimeSpan.FromSeconds(40));

        var verification = IncidentScenario.Verification(incident);
        Assert.Equal("notRecovered", verification.GetProperty("status").GetString());
        Assert.True(verification.GetProperty("escalated").GetBoolean());
        Assert.StartsWith("not recovered: latency_p95 limit 100 broken", verification.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var check = Assert.Single(verification.GetProperty("checks").EnumerateArray());
        Assert.Equal("fail", check.GetProperty("outcome").GetString());
        Assert.True(check.GetProperty("observed").GetDouble() >= IncidentScenario.FaultMs, check.ToString());
        Assert.Equal("open", incident.GetProperty("status").GetString());
        var open = await _reviewer.GetFromJsonAsync<JsonElement>("/api/incidents?status=open");
        Assert.Contains(open.EnumerateArray(), i => i.GetProperty("id").GetString() == incidentId && i.GetProperty("verification").GetProperty("escalated").GetBoolean());
        var audit = Assert.Single(await AuditAsync("incident.verified", Incident.AuditTarget(incidentId)));
        Assert.Equal("modelops-verifier", audit.Actor);
    }

    [Fact]
    public async Task Series_BothArmsCopiedWithTheBaselineAndRoutingAfter_SurviveAnInferenceLogRetentionSweep()
    {
        var (rolloutId, incidentId) = await IncidentScenario.RollBackAsync(_app, _operator);
        await IncidentScenario.ClearFaultsAsync(_operator);
        var before = await IncidentScenario.TrafficUntilVerifiedAsync(_app, _reviewer, incidentId, TimeSpan.FromSeconds(40));

        var deleted = await SweepEveryLoggedRowAsync();

        Assert.True(deleted > 0, "the sweep deleted the logged requests");
        var after = await _reviewer.GetFromJsonAsync<JsonElement>($"/api/incidents/{incidentId}");
        var series = after.GetProperty("evidence").GetProperty("series");
        Assert.Equal(before.GetProperty("evidence").GetProperty("series").ToString(), series.ToString());
        var rollout = await _reviewer.GetFromJsonAsync<JsonElement>($"/api/rollouts/{rolloutId}");
        var decidedAt = series.GetProperty("decidedAt").GetDateTimeOffset();
        var windowTo = IncidentScenario.Verification(after).GetProperty("windowTo").GetDateTimeOffset();
        var candidate = IncidentScenario.Buckets(after, "candidate");
        var target = IncidentScenario.Buckets(after, "baseline");
        Assert.NotEmpty(candidate);
        Assert.All(candidate, b => Assert.True(b.GetProperty("at").GetDateTimeOffset() < decidedAt.AddSeconds(5), "the candidate served until the decision"));
        Assert.Contains(candidate, b => b.GetProperty("latencyP95Ms").GetDouble() > IncidentScenario.LimitMs);
        Assert.True(target[0].GetProperty("at").GetDateTimeOffset() <= rollout.GetProperty("startedAt").GetDateTimeOffset().AddSeconds(5), "the target's series starts with the rollout");
        Assert.True(target[^1].GetProperty("at").GetDateTimeOffset() >= windowTo.AddSeconds(-5), "the target's series runs to the end of verification");
        Assert.All(target, b => Assert.True(b.GetProperty("at").GetDateTimeOffset() < windowTo));
        Assert.All(new[] { "requests", "errorRate", "timeoutRate", "latencyP95Ms", "latencyP99Ms", "kpiMean" }, name => Assert.True(target[0].TryGetProperty(name, out _), name));
        var evidence = after.GetProperty("evidence");
        Assert.Equal([2], evidence.GetProperty("routingAfter").GetProperty("weights").EnumerateArray().Select(w => w.GetProperty("version").GetInt32()));
        Assert.Contains(evidence.GetProperty("routingBefore").GetProperty("weights").EnumerateArray(), w => w.GetProperty("version").GetInt32() == 3);
        var baseline = evidence.GetProperty("baselineDuringRollout").EnumerateArray().First(b => b.GetProperty("metric").GetString() == "latency_p95");
        Assert.InRange(baseline.GetProperty("baseline").GetDouble(), 0.001, IncidentScenario.LimitMs);
        Assert.True(baseline.GetProperty("samples").GetInt64() > 0);
    }

    private async Task<int> SweepEveryLoggedRowAsync()
    {
        // Retention as it runs, but at a clock two hours ahead with a one-hour retention: every row logged so far goes.
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(2));
        var retention = new InferenceLogRetention(
            _app.Factory.Services.GetRequiredService<InferenceLogDatabase>(),
            Options.Create(new InferenceLogOptions { RetentionHours = 1 }),
            later,
            NullLogger<InferenceLogRetention>.Instance);
        return await retention.SweepAsync(CancellationToken.None);
    }

    private async Task<List<AuditEntry>> AuditAsync(string action, string target)
    {
        await using var scope = _app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Set<AuditEntry>()
            .Where(e => e.Action == action && e.Target == target).ToListAsync();
    }
}
