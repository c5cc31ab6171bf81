using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Tests.Incidents.Verification;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Rollouts.Engine;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Incidents;

/// <summary>
/// The incident's series and sample are copied right after the rollback's decision, not at its
/// first verification run: with the engine's Quartz scheduler in standby no verification job ever
/// runs, yet the incident of a manual rollback already holds both arms' buckets and the candidate's
/// requests.
/// </summary>
public sealed class IncidentEvidenceAtDecisionTests : IAsyncLifetime
{
    private readonly InferenceAppFixture _app = new();
    private HttpClient _operator = null!; // Set in InitializeAsync.

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        _operator = await _app.Factory.CreateClientForAsync("operator");
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Rollback_BeforeAnyVerificationRun_IncidentAlreadyHoldsSeriesAndSamples()
    {
        await EngineStandby.EnterAsync(_app.Factory.Services);
        var id = await RolloutDriver.StartAsync(_operator, IncidentScenario.Plan());
        var started = DateTimeOffset.UtcNow;

        // Long enough for at least one whole 5 s bucket with both arms, and for the log writer to flush.
        await RolloutDriver.UntilAsync(_app, _operator, id, _ => DateTimeOffset.UtcNow - started > TimeSpan.FromSeconds(11), TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        using var rolledBack = await _operator.PostAsJsonAsync($"/api/rollouts/{id}/rollback", new { reason = "evidence test" });
        rolledBack.EnsureSuccessStatusCode();
        var rollout = await _operator.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}");
        var incident = await _operator.GetFromJsonAsync<JsonElement>($"/api/incidents/{rollout.GetProperty("incidentId").GetString()}");

        Assert.Equal("pending", IncidentScenario.Verification(incident).GetProperty("status").GetString());
        Assert.NotEmpty(IncidentScenario.Buckets(incident, "candidate"));
        Assert.NotEmpty(IncidentScenario.Buckets(incident, "baseline"));
        var samples = incident.GetProperty("evidence").GetProperty("samples");
        Assert.True(samples.GetProperty("count").GetInt32() > 0, samples.ToString());
        Assert.All(samples.GetProperty("rows").EnumerateArray(), r => Assert.Equal(3, r.GetProperty("version").GetInt32()));
    }
}
