using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Audit;
using ModelOps.Core.Demo;
using ModelOps.Core.Incidents.Replay;
using ModelOps.Core.Persistence;
using ModelOps.Core.Serving.Log;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Incidents.Replay;

/// <summary>
/// Through the real app: a rollback of the demo's v3 queues a replay of its logged traffic through
/// v2 on a real ONNX session (Quartz job, SQLite log), reported in <c>evidence.replay</c>.
/// </summary>
public sealed class ReplayApiTests : IAsyncLifetime
{
    private const double ShowThreshold = 0.12;
    private ModelOpsAppFactory _app = null!; // Set in InitializeAsync.
    private HttpClient _operator = null!;
    private HttpClient _anonymous = null!;

    public async Task InitializeAsync()
    {
        _app = ReplayTraffic.App(("ModelOps:Incidents:Replay:BatchSize", "5"), ("ModelOps:Incidents:Replay:PauseMsPerBatch", "150"));
        _anonymous = _app.CreateClient();
        _operator = await _app.CreateClientForAsync("operator");
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        _anonymous.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Replay_DemoV3RolledBackToV2_ReportsTheFlipShareOfV3sLoggedAnswersAgainstV2()
    {
        await using var fast = ReplayTraffic.App();
        using var anonymous = fast.CreateClient();
        using var operatorClient = await fast.CreateClientForAsync("operator");
        var incidentId = await ReplayTraffic.RollBackAfterTrafficAsync(anonymous, operatorClient, requests: 400);

        var replay = await ReplayTraffic.UntilAsync(operatorClient, incidentId, r => ReplayTraffic.Status(r) == "completed", TimeSpan.FromSeconds(60));

        // Independently: v3's logged rows read through EF, v2 scored by the trained linear model (no ONNX).
        var v2 = fast.Services.GetRequiredService<DemoModelFamily>().Build(42).Single(v => v.VersionLabel == 2).Model;
        await using var scope = fast.Services.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<InferenceLogDbContext>().Set<InferenceLogEntry>().AsNoTracking()
            .Where(e => e.Model == "ctr-ranker" && e.Version == 3 && e.Arm == "candidate" && e.Status == "ok").ToListAsync();
        var v2Scores = rows.Select(r => v2.Predict(JsonSerializer.Deserialize<float[]>(r.InputJson!))).ToList();
        var expectedFlips = rows.Zip(v2Scores).Count(p => (p.First.Score >= ShowThreshold) != (p.Second >= ShowThreshold));
        // float32 ONNX and the double model may disagree only on a score within a hair of the threshold.
        var borderline = v2Scores.Count(s => Math.Abs(s - ShowThreshold) < 1e-5);
        Assert.Equal("completed", ReplayTraffic.Status(replay));
        Assert.Equal(rows.Count, replay.GetProperty("rows").GetInt32());
        Assert.InRange(rows.Count, 100, 300);
        Assert.True(expectedFlips > 0, "v3 should flip some of v2's decisions at night");
        Assert.Equal((ShowThreshold, "registered"), (replay.GetProperty("decisionThreshold").GetDouble(), replay.GetProperty("thresholdSource").GetString()));
        Assert.InRange(replay.GetProperty("flips").GetInt32(), expectedFlips - borderline, expectedFlips + borderline);
        Assert.Equal((double)replay.GetProperty("flips").GetInt32() / rows.Count, replay.GetProperty("flipShare").GetDouble(), 12);
        var bySegment = replay.GetProperty("bySegment").EnumerateArray().Select(s => s.GetProperty("segment").GetString()).ToList();
        Assert.Contains("region=eu", bySegment);
        Assert.Contains("feature.device=tablet", bySegment);
        Assert.Contains("feature.hour=[2, 3)", bySegment);
    }

    [Fact]
    public async Task Cancel_RunningReplay_StopsItBeforeTheEndAndIsAudited()
    {
        var incidentId = await ReplayTraffic.RollBackAfterTrafficAsync(_anonymous, _operator, requests: 400);
        await ReplayTraffic.UntilAsync(_operator, incidentId, r => ReplayTraffic.Status(r) == "running" && r.GetProperty("rows").GetInt32() > 0, TimeSpan.FromSeconds(30));

        using var cancelled = await _operator.PostAsync($"/api/incidents/{incidentId}/replay/cancel", null);
        var replay = await ReplayTraffic.UntilAsync(_operator, incidentId, r => ReplayTraffic.Status(r) != "running", TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", ReplayTraffic.Status(replay));
        Assert.True(replay.GetProperty("rows").GetInt32() < replay.GetProperty("rowsTotal").GetInt32());
        Assert.Equal("operator", replay.GetProperty("cancelRequestedBy").GetString());
        await using var scope = _app.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Set<AuditEntry>()
            .AnyAsync(e => e.Action == "incident.replayCancelled" && e.Target == $"incident:{incidentId}" && e.Actor == "operator"));
    }

    [Fact]
    public async Task Cancel_CompletedReplay_IsAConflictAndRerunQueuesANewOne()
    {
        var incidentId = await ReplayTraffic.RollBackAfterTrafficAsync(_anonymous, _operator, requests: 30);
        var first = await ReplayTraffic.UntilAsync(_operator, incidentId, r => ReplayTraffic.Status(r) == "completed", TimeSpan.FromSeconds(60));

        using var cancel = await _operator.PostAsync($"/api/incidents/{incidentId}/replay/cancel", null);
        using var rerun = await _operator.PostAsync($"/api/incidents/{incidentId}/replay", null);

        await ProblemAssert.IsProblemAsync(cancel, HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.Accepted, rerun.StatusCode);
        var second = await ReplayTraffic.UntilAsync(_operator, incidentId, r => r.GetProperty("id").GetString() != first.GetProperty("id").GetString() && ReplayTraffic.Status(r) == "completed", TimeSpan.FromSeconds(60));
        Assert.Equal("completed", ReplayTraffic.Status(second));
        Assert.Equal(first.GetProperty("flips").GetInt32(), second.GetProperty("flips").GetInt32());
        Assert.Equal(first.GetProperty("rows").GetInt32(), second.GetProperty("rows").GetInt32());
    }

    [Fact]
    public async Task Replay_FoundRunningAsAfterACrash_StartsAgainFromItsFirstRowAndCompletes()
    {
        var incidentId = await ReplayTraffic.RollBackAfterTrafficAsync(_anonymous, _operator, requests: 30);
        var first = await ReplayTraffic.UntilAsync(_operator, incidentId, r => ReplayTraffic.Status(r) == "completed", TimeSpan.FromSeconds(60));

        // As a process killed mid-replay leaves it: running, part done, no report.
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Set<ReplayRun>().Where(r => r.IncidentId == incidentId)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, ReplayStates.Running).SetProperty(r => r.RowsDone, 3).SetProperty(r => r.ReportJson, (string?)null));
        }

        var again = await ReplayTraffic.UntilAsync(_operator, incidentId, r => ReplayTraffic.Status(r) == "completed", TimeSpan.FromSeconds(60));

        Assert.Equal(first.GetProperty("rows").GetInt32(), again.GetProperty("rows").GetInt32());
        Assert.Equal(first.GetProperty("flips").GetInt32(), again.GetProperty("flips").GetInt32());
        await using var check = _app.Services.CreateAsyncScope();
        Assert.Equal(2, (await check.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Set<ReplayRun>().SingleAsync(r => r.IncidentId == incidentId)).Attempts);
    }

    [Fact]
    public async Task Replay_InterruptedAtEveryAttempt_FailsSayingSoInsteadOfLooping()
    {
        var incidentId = await ReplayTraffic.RollBackAfterTrafficAsync(_anonymous, _operator, requests: 30);
        await ReplayTraffic.UntilAsync(_operator, incidentId, r => ReplayTraffic.Status(r) == "completed", TimeSpan.FromSeconds(60));
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Set<ReplayRun>().Where(r => r.IncidentId == incidentId)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, ReplayStates.Running).SetProperty(r => r.Attempts, ReplayRunner.MaxAttempts));
        }

        var replay = await ReplayTraffic.UntilAsync(_operator, incidentId, r => ReplayTraffic.Status(r) == "failed", TimeSpan.FromSeconds(30));

        Assert.Equal("failed", ReplayTraffic.Status(replay));
        Assert.Contains("interrupted", replay.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_AsApprover_IsForbidden()
    {
        using var approver = await _app.CreateClientForAsync("approver");
        using var response = await approver.PostAsync("/api/incidents/inc-none/replay/cancel", null);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
