using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Audit;
using ModelOps.Core.GameDays;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Serving.Routing;
using ModelOps.Tests.Rollouts.Engine;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.GameDays;

/// <summary>
/// Drills end to end through the real app: the simulator's traffic, the real Quartz judge and the
/// real chaos board. A drill's fault never outlives it, whether it ends, the process stops, or a
/// crash leaves it running.
/// </summary>
public sealed class GameDayRunTests : IAsyncLifetime
{
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
    public async Task Drill_LatencyFaultOnV3_RolledBackWithItsTimesAndTheFaultCleared()
    {
        var app = await StartAppAsync(simulatorRps: 100);
        using var client = await app.Factory.CreateClientForAsync("operator");

        using var started = await client.PostAsJsonAsync("/api/gamedays", new { model = "ctr-ranker", version = 3, fault = new { addedLatencyMs = 20 } });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var drill = await UntilAsync(client, id, d => d.GetProperty("state").GetString() != "running", TimeSpan.FromSeconds(120));

        Assert.Equal(("finished", "rolledBack"), (drill.GetProperty("state").GetString(), drill.GetProperty("outcome").GetString()));
        var (detection, decision, restore) = (Seconds(drill, "detectionSeconds"), Seconds(drill, "decisionSeconds"), Seconds(drill, "restoreSeconds"));
        Assert.InRange(detection, 0, 60);
        Assert.InRange(decision, 0, 30);
        Assert.InRange(restore, 0, 5);
        Assert.Equal("pending", drill.GetProperty("verification").GetProperty("status").GetString());
        var items = drill.GetProperty("score").GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!, i => i.GetProperty("status").GetString());
        Assert.Equal("pending", items["verification"]);
        Assert.Equal(items.Values.Count(s => s == "pass"), drill.GetProperty("score").GetProperty("passed").GetInt32());
        Assert.Empty((await client.GetFromJsonAsync<List<JsonElement>>("/api/chaos"))!);
        var rollout = await client.GetFromJsonAsync<JsonElement>($"/api/rollouts/{drill.GetProperty("rolloutId").GetString()}");
        Assert.Equal(("rolledBack", "hard"), (rollout.GetProperty("state").GetString(), rollout.GetProperty("trigger").GetString()));
        Assert.Equal([2], app.Factory.Services.GetRequiredService<ITrafficRouter>().Current("ctr-ranker")!.RoutableVersions);
        Assert.Equal(["gameday.started", "gameday.finished"], await AuditActionsAsync(app, id));

        // The drill's incident says so, and leaves v3 deployable for real.
        var incident = await client.GetFromJsonAsync<JsonElement>($"/api/incidents/{rollout.GetProperty("incidentId").GetString()}");
        Assert.Equal((true, id), (incident.GetProperty("drill").GetBoolean(), incident.GetProperty("gameDayId").GetString()));
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var v3 = await scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Set<ModelVersion>().SingleAsync(v => v.Model == "ctr-ranker" && v.Version == 3);
        Assert.Null(v3.FrozenByIncident);
    }

    [Fact]
    public async Task Drill_ProcessStopsMidDrill_InterruptedWithCanaryRolledBackAndFaultCleared()
    {
        var first = await StartAppAsync(simulatorRps: null);
        string id;
        using (var client = await first.Factory.CreateClientForAsync("operator"))
        {
            using var started = await client.PostAsJsonAsync("/api/gamedays", new { model = "ctr-ranker", version = 3, fault = new { errorRate = 0.5 } });
            id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            await UntilAsync(client, id, d => d.GetProperty("faultStartedAt").ValueKind != JsonValueKind.Null, TimeSpan.FromSeconds(20));
            Assert.Single((await client.GetFromJsonAsync<List<JsonElement>>("/api/chaos"))!);
        }

        await StopAsync(first);

        var second = await StartAppAsync(simulatorRps: null);
        using var reader = await second.Factory.CreateClientForAsync("reviewer");
        var drill = await reader.GetFromJsonAsync<JsonElement>($"/api/gamedays/{id}");
        Assert.Equal(("interrupted", "interrupted"), (drill.GetProperty("state").GetString(), drill.GetProperty("outcome").GetString()));
        Assert.NotEqual(JsonValueKind.Null, drill.GetProperty("faultClearedAt").ValueKind);
        var rollout = await reader.GetFromJsonAsync<JsonElement>($"/api/rollouts/{drill.GetProperty("rolloutId").GetString()}");
        Assert.Equal("rolledBack", rollout.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Recovery_DrillACrashLeftRunning_FinishedAsInterruptedAtStartAndItsCanaryRolledBack()
    {
        var first = await StartAppAsync(simulatorRps: null);
        string rolloutId;
        using (var client = await first.Factory.CreateClientForAsync("operator"))
        {
            rolloutId = await RolloutDriver.StartAsync(client, new
            {
                model = "ctr-ranker",
                candidateVersion = 3,
                owner = "game-day",
                steps = new[] { new { weight = 20.0, bakeSeconds = 3_600 } },
                guardrails = new object[] { new { metric = "error_rate", limit = 0.05, windowSeconds = 18, sustainSeconds = 3, severity = "hard" } },
            });
        }

        // The row a drill has between its start and its end: as a process killed mid-drill leaves it.
        await using (var scope = first.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
            db.Add(new GameDay
            {
                Id = "gd-crashed",
                Model = "ctr-ranker",
                Version = 3,
                BaselineVersion = 2,
                FaultJson = """{"errorRate":0.5}""",
                TargetsJson = """{"detectionSeconds":21,"decisionSeconds":8,"restoreSeconds":1,"verification":"recovered"}""",
                RolloutId = rolloutId,
                State = GameDayStates.Running,
                StartedBy = "operator",
                StartedAt = DateTimeOffset.UtcNow,
                FaultStartedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        await StopAsync(first);
        var second = await StartAppAsync(simulatorRps: null);

        using var reader = await second.Factory.CreateClientForAsync("reviewer");
        var drill = await reader.GetFromJsonAsync<JsonElement>("/api/gamedays/gd-crashed");
        Assert.Equal("interrupted", drill.GetProperty("state").GetString());
        var rollout = await reader.GetFromJsonAsync<JsonElement>($"/api/rollouts/{rolloutId}");
        Assert.Equal(("rolledBack", "manual"), (rollout.GetProperty("state").GetString(), rollout.GetProperty("trigger").GetString()));
        Assert.Equal([2], second.Factory.Services.GetRequiredService<ITrafficRouter>().Current("ctr-ranker")!.RoutableVersions);
        Assert.Empty((await reader.GetFromJsonAsync<List<JsonElement>>("/api/chaos"))!);
    }

    private async Task<InferenceAppFixture> StartAppAsync(double? simulatorRps)
    {
        var app = new InferenceAppFixture();
        app.Factory.Settings["ModelOps:DataDirectory"] = _dataDirectory;
        app.Factory.Settings["ModelOps:Gates:IntervalSeconds"] = "1";
        app.Factory.Settings["ModelOps:GameDays:TimeoutSeconds"] = "90";
        if (simulatorRps is { } rps)
        {
            app.Factory.Settings["ModelOps:Simulator:Enabled"] = "true";
            app.Factory.Settings["ModelOps:Simulator:RequestsPerSecond"] = rps.ToString(System.Globalization.CultureInfo.InvariantCulture);
            app.Factory.Settings["ModelOps:Simulator:Seed"] = "12";
        }

        _apps.Add(app);
        await app.InitializeAsync();
        return app;
    }

    private async Task StopAsync(InferenceAppFixture app)
    {
        await app.DisposeAsync();
        _apps.Remove(app);
    }

    private static async Task<JsonElement> UntilAsync(HttpClient client, string id, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        JsonElement drill;
        do
        {
            await Task.Delay(250);
            drill = await client.GetFromJsonAsync<JsonElement>($"/api/gamedays/{id}");
        }
        while (!done(drill) && DateTime.UtcNow < until);

        return drill;
    }

    private static double Seconds(JsonElement drill, string name) =>
        drill.GetProperty(name).ValueKind == JsonValueKind.Number ? drill.GetProperty(name).GetDouble() : double.NaN;

    private static async Task<List<string>> AuditActionsAsync(InferenceAppFixture app, string id)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Set<AuditEntry>()
            .Where(e => e.Target == GameDay.AuditTarget(id)).OrderBy(e => e.Seq).Select(e => e.Action).ToListAsync();
    }
}
