using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Audit;
using ModelOps.Core.Persistence;
using ModelOps.Core.Serving.Routing;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Rollouts.Engine;

/// <summary>
/// Soft triggers on the real app with the real Quartz jobs (every second): a soft latency breach
/// waits for an approver (never the initiator), a time-out reverts, low traffic past the progress
/// deadline asks a person, and a corrupted-dataset flag raises a soft trigger.
/// </summary>
public sealed class RolloutApprovalTests : IAsyncLifetime
{
    private readonly InferenceAppFixture _app = new();
    private HttpClient _admin = null!; // Set in InitializeAsync.
    private HttpClient _approver = null!;
    private HttpClient _operator = null!;

    public async Task InitializeAsync()
    {
        _app.Factory.Settings["ModelOps:Gates:IntervalSeconds"] = "1";
        await _app.InitializeAsync();
        _admin = await _app.Factory.CreateClientForAsync("admin");
        _approver = await _app.Factory.CreateClientForAsync("approver");
        _operator = await _app.Factory.CreateClientForAsync("operator");
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        _approver.Dispose();
        _operator.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task SoftBreach_WaitsForAnApprover_TheInitiatorIsRefusedAndAnotherApproverContinues()
    {
        var id = await RolloutDriver.StartAsync(_admin, SoftLatencyPlan(approvalTimeoutSeconds: 600));
        await InjectLatencyAsync();

        var waiting = await RolloutDriver.UntilAsync(_app, _admin, id, r => RolloutDriver.IsIn(r, "awaitingApproval"), TimeSpan.FromSeconds(60));

        Assert.Equal("awaitingApproval", waiting.GetProperty("state").GetString());
        var approval = waiting.GetProperty("approvals").EnumerateArray().Single();
        Assert.Equal(("guardrail", "pending"), (approval.GetProperty("kind").GetString(), approval.GetProperty("status").GetString()));
        Assert.Equal("latency_p95", approval.GetProperty("evidence").GetProperty("metric").GetString());
        var approvalId = approval.GetProperty("id").GetString();
        using (var byInitiator = await _admin.PostAsJsonAsync($"/api/rollouts/{id}/approvals/{approvalId}", new { decision = "continue", reason = "my own rollout" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, byInitiator.StatusCode);
            Assert.Equal("application/problem+json", byInitiator.Content.Headers.ContentType?.MediaType);
        }

        using var decided = await _approver.PostAsJsonAsync($"/api/rollouts/{id}/approvals/{approvalId}", new { decision = "continue", reason = "known slow dependency, fixed next release" });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var rollout = await _approver.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}");
        Assert.Equal("progressing", rollout.GetProperty("state").GetString());
        Assert.Equal(("continued", "approver"), (rollout.GetProperty("approvals")[0].GetProperty("status").GetString(), rollout.GetProperty("approvals")[0].GetProperty("decidedBy").GetString()));
        using (var again = await _approver.PostAsJsonAsync($"/api/rollouts/{id}/approvals/{approvalId}", new { decision = "revert", reason = "second thoughts" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        var actions = await AuditActionsAsync();
        Assert.Contains("approval.denied", actions);
        Assert.Equal(1, actions.Count(a => a == "rollout.approvalContinued"));
    }

    [Fact]
    public async Task SoftKpiBreach_PausesTheRolloutWithAnApprovalCarryingTheKpiVerdict()
    {
        var plan = new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            steps = new[] { new { weight = 50.0, bakeSeconds = 600 } },
            guardrails = new object[] { new { metric = "kpi", threshold = 0.02, windowSeconds = 900, sustainSeconds = 2, severity = "soft", attributionSeconds = 1 } },
        };
        var id = await RolloutDriver.StartAsync(_admin, plan);
        using (var chaos = await _operator.PostAsJsonAsync("/api/chaos", new { model = "ctr-ranker", version = 3, kpiFactor = 0.5 }))
        {
            Assert.Equal(HttpStatusCode.OK, chaos.StatusCode);
        }

        var waiting = await RolloutDriver.UntilAsync(_app, _admin, id, r => RolloutDriver.IsIn(r, "awaitingApproval"), TimeSpan.FromSeconds(90), clickRate: 0.5);

        Assert.Equal("awaitingApproval", waiting.GetProperty("state").GetString());
        var approval = waiting.GetProperty("approvals").EnumerateArray().Single();
        Assert.Equal(("guardrail", "kpi"), (approval.GetProperty("kind").GetString(), approval.GetProperty("evidence").GetProperty("metric").GetString()));
        var verdict = approval.GetProperty("evidence").GetProperty("verdict");
        Assert.Equal("fail", verdict.GetProperty("status").GetString());
        Assert.True(verdict.GetProperty("effect").GetDouble() < -0.02, "the candidate's KPI is below the baseline's by more than the threshold");
        Assert.Equal(50, waiting.GetProperty("weights").GetProperty("3").GetDouble());
    }

    [Fact]
    public async Task SoftBreach_UndecidedPastItsTimeOut_RevertsAsTheSafeDefaultWithAnIncident()
    {
        var id = await RolloutDriver.StartAsync(_operator, SoftLatencyPlan(approvalTimeoutSeconds: 2));
        await InjectLatencyAsync();

        var ended = await RolloutDriver.UntilAsync(_app, _operator, id, r => RolloutDriver.IsIn(r, "rolledBack"), TimeSpan.FromSeconds(60));

        Assert.Equal(("rolledBack", "approvalTimeout"), (ended.GetProperty("state").GetString(), ended.GetProperty("trigger").GetString()));
        Assert.Equal("timedOut", ended.GetProperty("approvals")[0].GetProperty("status").GetString());
        var incident = await _operator.GetFromJsonAsync<JsonElement>($"/api/incidents/{ended.GetProperty("incidentId").GetString()}");
        Assert.Equal(("approvalTimeout", "modelops-approvals"), (incident.GetProperty("trigger").GetProperty("kind").GetString(), incident.GetProperty("trigger").GetProperty("actor").GetString()));
        Assert.Equal([2], await RolloutDriver.RoutedWhenSettledAsync(_app, 2));
    }

    [Fact]
    public async Task NoTraffic_PastTheProgressDeadline_PausesWithAnApprovalSayingWhatIsMissing()
    {
        var plan = new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            progressDeadlineSeconds = 2,
            steps = new[] { new { weight = 10.0, bakeSeconds = 600 } },
            guardrails = new object[] { new { metric = "error_rate", threshold = 0.01, windowSeconds = 60, sustainSeconds = 2, severity = "hard" } },
        };
        var id = await RolloutDriver.StartAsync(_operator, plan);

        var waiting = await RolloutDriver.UntilAsync(_app, _operator, id, r => RolloutDriver.IsIn(r, "awaitingApproval"), TimeSpan.FromSeconds(30), traffic: false);

        var approval = waiting.GetProperty("approvals").EnumerateArray().Single();
        Assert.Equal("progressDeadline", approval.GetProperty("kind").GetString());
        Assert.Contains("still undecided", approval.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains(approval.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("metric").GetString() == "error_rate");
    }

    [Fact]
    public async Task CorruptedDatasetFlag_RaisesASoftTriggerAndPreflightRefusesTheCandidateFromThenOn()
    {
        var hash = (await _operator.GetFromJsonAsync<JsonElement>("/api/models/ctr-ranker/versions/3")).GetProperty("datasetHash").GetString();
        var id = await RolloutDriver.StartAsync(_operator, SoftLatencyPlan(approvalTimeoutSeconds: 600));

        using var flagged = await _operator.PostAsJsonAsync($"/api/datasets/{hash}/flag", new { reason = "night labels corrupted by a logging bug" });
        using var again = await _operator.PostAsJsonAsync($"/api/datasets/{hash}/flag", new { reason = "again" });

        var body = await flagged.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, flagged.StatusCode);
        Assert.Equal([id], body.GetProperty("rolloutsTriggered").EnumerateArray().Select(e => e.GetString()));
        Assert.False((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("changed").GetBoolean());
        var rollout = await _operator.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}");
        Assert.Equal("awaitingApproval", rollout.GetProperty("state").GetString());
        Assert.Equal("datasetFlag", rollout.GetProperty("approvals")[0].GetProperty("kind").GetString());
        using var preflight = await _operator.PostAsJsonAsync("/api/rollouts/preflight", SoftLatencyPlan(approvalTimeoutSeconds: 600));
        Assert.Equal(HttpStatusCode.Conflict, preflight.StatusCode);
        var checks = (await preflight.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").EnumerateArray();
        Assert.Contains(checks, c => c.GetProperty("name").GetString() == "dataset" && !c.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task SoftTriggerOnAPlanThatStepsDown_GoesBackOneStepWhileWaitingAndContinueRestoresTheStep()
    {
        var hash = (await _operator.GetFromJsonAsync<JsonElement>("/api/models/ctr-ranker/versions/3")).GetProperty("datasetHash").GetString();
        var id = await RolloutDriver.StartAsync(_operator, new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            steps = new[] { new { weight = 20.0, bakeSeconds = 1 }, new { weight = 50.0, bakeSeconds = 600 } },
            guardrails = new object[] { new { metric = "error_rate", limit = 0.5, windowSeconds = 60, sustainSeconds = 2, severity = "hard" } },
            rollback = new { mode = "instant", onSoftTrigger = "stepDown" },
        });
        // An advance commits, then swaps: wait for both.
        var atSecondStep = await RolloutDriver.UntilAsync(
            _app, _operator, id, r => r.GetProperty("stepIndex").GetInt32() == 1 && r.GetProperty("weights").GetProperty("3").GetDouble() == 50, TimeSpan.FromSeconds(60));
        Assert.Equal(50, atSecondStep.GetProperty("weights").GetProperty("3").GetDouble());

        using (var flagged = await _operator.PostAsJsonAsync($"/api/datasets/{hash}/flag", new { reason = "labels corrupted" }))
        {
            Assert.Equal(HttpStatusCode.OK, flagged.StatusCode);
        }

        var waiting = await _operator.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}");
        Assert.Equal(("awaitingApproval", 1), (waiting.GetProperty("state").GetString(), waiting.GetProperty("stepIndex").GetInt32()));
        Assert.Equal(20, waiting.GetProperty("weights").GetProperty("3").GetDouble());
        var approvalId = waiting.GetProperty("approvals")[0].GetProperty("id").GetString();
        using (var decided = await _approver.PostAsJsonAsync($"/api/rollouts/{id}/approvals/{approvalId}", new { decision = "continue", reason = "the flag was about another table" }))
        {
            Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        }

        var resumed = await _operator.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}");
        Assert.Equal("progressing", resumed.GetProperty("state").GetString());
        Assert.Equal(50, resumed.GetProperty("weights").GetProperty("3").GetDouble());
    }

    [Fact]
    public async Task Plan_UnknownSoftTriggerAction_Returns400NamingTheField()
    {
        using var refused = await _operator.PostAsJsonAsync("/api/rollouts/preflight", new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            steps = new[] { new { weight = 20.0, bakeSeconds = 60 } },
            guardrails = new object[] { new { metric = "error_rate", limit = 0.5, windowSeconds = 60, sustainSeconds = 2, severity = "hard" } },
            rollback = new { mode = "instant", onSoftTrigger = "panic" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.True(body.Contains("rollback.onSoftTrigger", StringComparison.Ordinal), body);
    }

    private static object SoftLatencyPlan(int approvalTimeoutSeconds) => new
    {
        model = "ctr-ranker",
        candidateVersion = 3,
        owner = "ml-platform",
        approvalTimeoutSeconds,
        steps = new[] { new { weight = 50.0, bakeSeconds = 600 } },
        guardrails = new object[] { new { metric = "latency_p95", threshold = 0.2, windowSeconds = 60, sustainSeconds = 2, severity = "soft" } },
    };

    private async Task InjectLatencyAsync()
    {
        using var chaos = await _operator.PostAsJsonAsync("/api/chaos", new { model = "ctr-ranker", version = 3, addedLatencyMs = 25 });
        Assert.Equal(HttpStatusCode.OK, chaos.StatusCode);
    }

    private async Task<List<string>> AuditActionsAsync()
    {
        await using var scope = _app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Set<AuditEntry>().OrderBy(e => e.Seq).Select(e => e.Action).ToListAsync();
    }
}
