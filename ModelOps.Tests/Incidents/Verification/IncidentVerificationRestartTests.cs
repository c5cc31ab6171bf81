using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Audit;
using ModelOps.Core.Incidents;
using ModelOps.Core.Persistence;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Incidents.Verification;

/// <summary>
/// Verification across a restart: the app is stopped with an incident still pending, its window
/// ends while the app is down, and the next start (same data directory) reschedules it from the
/// database and decides it once, on the series copied before the stop.
/// </summary>
public sealed class IncidentVerificationRestartTests
{
    [Fact]
    public async Task Restart_WindowEndedWhileDown_DecidesOnceAtStartOnTheCopiedSeries()
    {
        var directory = Path.Combine(Path.GetTempPath(), "modelops-tests", Guid.NewGuid().ToString("N"));
        try
        {
            string incidentId;
            DateTimeOffset windowOver;
            await using (var first = App(directory))
            {
                await first.InitializeAsync();
                using var client = await first.Factory.CreateClientForAsync("operator");
                (var rolloutId, incidentId) = await IncidentScenario.RollBackAsync(first, client, verificationSeconds: 5);
                var endedAt = (await client.GetFromJsonAsync<JsonElement>($"/api/rollouts/{rolloutId}")).GetProperty("endedAt").GetDateTimeOffset();
                windowOver = endedAt.AddSeconds(11); // the next whole 5 s bucket, plus the 5 s window, plus a second

                var copied = await UntilAsync(client, incidentId, i => i.GetProperty("evidence").GetProperty("baselineDuringRollout").GetArrayLength() > 0);
                Assert.Equal("pending", IncidentScenario.Verification(copied).GetProperty("status").GetString());
            }

            var wait = windowOver - DateTimeOffset.UtcNow;
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
            var restartedAt = DateTimeOffset.UtcNow;
            await using (var second = App(directory))
            {
                await second.InitializeAsync();
                using var client = await second.Factory.CreateClientForAsync("reviewer");

                var incident = await UntilAsync(client, incidentId, i => IncidentScenario.Verification(i).GetProperty("status").GetString() != "pending");

                var verification = IncidentScenario.Verification(incident);
                Assert.Equal("notRecovered", verification.GetProperty("status").GetString());
                Assert.StartsWith("insufficient data: latency_p95 limit 100: 0 observation(s) on the target", verification.GetProperty("reason").GetString(), StringComparison.Ordinal);
                Assert.True(verification.GetProperty("checkedAt").GetDateTimeOffset() >= restartedAt);
                Assert.NotEmpty(IncidentScenario.Buckets(incident, "candidate"));
                Assert.NotEmpty(IncidentScenario.Buckets(incident, "baseline"));
                using var closed = await client.PostAsJsonAsync($"/api/incidents/{incidentId}/close", new { rootCause = "injected latency on v3" });
                Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
                await Task.Delay(TimeSpan.FromSeconds(3)); // three more sweeps: none may verify it again
                Assert.Single(await AuditAsync(second, Incident.AuditTarget(incidentId)));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a finishing background task; the temp folder is disposable.
            }
        }
    }

    private static InferenceAppFixture App(string directory)
    {
        var app = new InferenceAppFixture();
        app.Factory.Settings["ModelOps:Gates:IntervalSeconds"] = "1";
        app.Factory.Settings["ModelOps:DataDirectory"] = directory;
        return app;
    }

    private static async Task<JsonElement> UntilAsync(HttpClient client, string incidentId, Func<JsonElement, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        JsonElement incident;
        do
        {
            await Task.Delay(250);
            incident = await client.GetFromJsonAsync<JsonElement>($"/api/incidents/{incidentId}");
        }
        while (!done(incident) && DateTimeOffset.UtcNow < deadline);

        return incident;
    }

    private static async Task<List<AuditEntry>> AuditAsync(InferenceAppFixture app, string target)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Set<AuditEntry>()
            .Where(e => e.Action == "incident.verified" && e.Target == target).ToListAsync();
    }
}
