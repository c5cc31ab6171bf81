using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelOps.Inference.Serving.Log;

namespace ModelOps.Tests.Incidents.Samples;

/// <summary>The candidate's requests copied into the incident after a real automatic rollback, and kept through log retention.</summary>
[Collection(RolledBackIncidentCollection.Name)]
public sealed class IncidentSampleTests(RolledBackIncidentFixture scenario)
{
    [Fact]
    public async Task Samples_AfterAnAutomaticRollback_AreTheCandidatesRequestsDuringTheRollout()
    {
        var incident = await scenario.IncidentAsync();
        var rollout = await scenario.Reviewer.GetFromJsonAsync<JsonElement>($"/api/rollouts/{scenario.RolloutId}");

        var samples = incident.GetProperty("evidence").GetProperty("samples");
        var rows = samples.GetProperty("rows").EnumerateArray().ToList();
        Assert.InRange(samples.GetProperty("count").GetInt32(), 1, 50);
        Assert.Equal(samples.GetProperty("count").GetInt32(), rows.Count);
        var (started, ended) = (rollout.GetProperty("startedAt").GetDateTimeOffset(), rollout.GetProperty("endedAt").GetDateTimeOffset());
        Assert.All(rows, r => Assert.Equal(3, r.GetProperty("version").GetInt32()));
        Assert.All(rows, r => Assert.InRange(r.GetProperty("at").GetDateTimeOffset(), started, ended));
        Assert.All(rows, r => Assert.False(string.IsNullOrEmpty(r.GetProperty("requestId").GetString())));
        Assert.Contains(rows, r => r.GetProperty("latencyMs").GetDouble() >= Verification.IncidentScenario.FaultMs);
    }

    [Fact]
    public async Task Samples_InTheList_CountWithoutRows()
    {
        var list = await scenario.Reviewer.GetFromJsonAsync<JsonElement>("/api/incidents");

        var samples = list.EnumerateArray().Single(i => i.GetProperty("id").GetString() == scenario.IncidentId).GetProperty("evidence").GetProperty("samples");
        Assert.True(samples.GetProperty("count").GetInt32() > 0);
        Assert.Equal(JsonValueKind.Null, samples.GetProperty("rows").ValueKind);
    }

    [Fact]
    public async Task Samples_AfterARetentionSweepDeletedTheLoggedRequests_StayWithTheIncident()
    {
        var before = (await scenario.IncidentAsync()).GetProperty("evidence").GetProperty("samples").ToString();

        var deleted = await SweepEveryLoggedRowAsync();

        Assert.True(deleted > 0, "the sweep deleted the logged requests");
        var after = (await scenario.IncidentAsync()).GetProperty("evidence").GetProperty("samples");
        Assert.True(after.GetProperty("count").GetInt32() > 0);
        Assert.Equal(before, after.ToString());
    }

    private async Task<int> SweepEveryLoggedRowAsync()
    {
        // Retention as it runs, at a clock two hours ahead with a one-hour retention: every row logged so far goes.
        var retention = new InferenceLogRetention(
            scenario.App.Factory.Services.GetRequiredService<InferenceLogDatabase>(),
            Options.Create(new InferenceLogOptions { RetentionHours = 1 }),
            new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(2)),
            NullLogger<InferenceLogRetention>.Instance);
        return await retention.SweepAsync(CancellationToken.None);
    }
}
