using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Tests.Serving.Inference;
using Npgsql;

namespace ModelOps.Tests.Rollouts.Engine;

/// <summary>
/// A step's stratum holds only seconds served wholly under the step's split, through the real app,
/// its real router and its Quartz evaluation: traffic that was served on the baseline alone while the
/// canary was being decided and swapped in is never counted at the canary's weight (it tripped a false
/// sample-ratio mismatch within seconds at 100 requests/s, where the swap takes seconds under load).
/// </summary>
public sealed class StepMeasurementTests : IAsyncLifetime
{
    private readonly InferenceAppFixture _app = new();
    private HttpClient _operator = null!; // Set in InitializeAsync.

    public async Task InitializeAsync()
    {
        _app.Factory.Settings["ModelOps:Gates:IntervalSeconds"] = "1";
        await _app.InitializeAsync();
        _operator = await _app.Factory.CreateClientForAsync("operator");
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task CanaryStarted_UnderTraffic_TheBaselineOnlyTrafficBeforeItsTableWentLiveIsNotJudged()
    {
        const int workers = 4;
        using var stop = new CancellationTokenSource();
        var sent = 0;
        var routing = _app.Factory.Services.GetRequiredService<RoutingTableHolder>();
        var traffic = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            // Each worker stops as soon as the canary's table is live here: at most one request each after it.
            for (var i = 0; !stop.IsCancellationRequested && routing.Current("ctr-ranker")?.CandidateVersion != 3; i++)
            {
                using var response = await _app.Client.PostAsJsonAsync("/inference/ctr-ranker/predict", new { features = InferenceAppFixture.Features(hour: i % 24, userId: $"u{worker}-{i}") }, CancellationToken.None);
                Interlocked.Increment(ref sent);
            }
        })).ToList();
        while (Volatile.Read(ref sent) < 200)
        {
            await Task.Delay(20);
        }

        // Traffic runs through the decision and the swap, and stops as soon as the canary is live. The
        // swap is held up for 2.5 s by another writer, as a loaded machine holds it up for seconds.
        var starting = RolloutDriver.StartAsync(_operator, new
        {
            model = "ctr-ranker",
            candidateVersion = 3,
            owner = "ml-platform",
            steps = new[] { new { weight = 50.0, bakeSeconds = 600 } },
            guardrails = new object[] { new { metric = "error_rate", limit = 0.05, windowSeconds = 60, sustainSeconds = 10, severity = "hard" } },
        });
        await using (await HoldRoutingWritesAsync())
        {
            await Task.Delay(TimeSpan.FromSeconds(2.5));
        }

        var id = await starting;
        await stop.CancelAsync();
        await Task.WhenAll(traffic);
        var before = await _operator.GetFromJsonAsync<JsonElement>($"/api/rollouts/{id}");

        // Three looks later: nothing served before the table went live is in the step's stratum.
        var rollout = await RolloutDriver.UntilAsync(_app, _operator, id,
            r => r.TryGetProperty("evaluatedAt", out var at) && at.ValueKind == JsonValueKind.String && at.GetDateTimeOffset() >= before.GetProperty("startedAt").GetDateTimeOffset().AddSeconds(4),
            TimeSpan.FromSeconds(30), traffic: false);
        var srm = rollout.GetProperty("guardrails").EnumerateArray().Single(g => g.GetProperty("metric").GetString() == "srm");
        var counted = srm.GetProperty("samples").GetProperty("baseline").GetInt64() + srm.GetProperty("samples").GetProperty("candidate").GetInt64();

        Assert.True(sent > 200, $"{sent} requests sent");
        // At most the requests in flight when the traffic stopped, in the second the table went live.
        Assert.True(counted <= workers, $"{counted} requests judged in the canary's stratum, of {sent} sent, all before or while its table went live: {srm}");
        Assert.Equal("progressing", rollout.GetProperty("state").GetString());
    }

    /// <summary>
    /// Another writer holding the routing table's row: on SQLite the database's write lock (the
    /// rollout's own insert waits too, after its decision was timed), on PostgreSQL a lock on the
    /// routing record's table (the rollout commits, its swap waits). Released on dispose.
    /// </summary>
    private async Task<IAsyncDisposable> HoldRoutingWritesAsync()
    {
        if (_app.Factory.PostgresConnectionString is { } postgres)
        {
            var connection = new NpgsqlConnection(postgres);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("BEGIN; LOCK TABLE \"RoutingTableRecord\" IN EXCLUSIVE MODE;", connection);
            await command.ExecuteNonQueryAsync();
            return new Held(connection, "ROLLBACK");
        }

        var sqlite = new SqliteConnection($"Data Source={Path.Combine(_app.Factory.DataDirectory, "modelops.db")};Pooling=False");
        await sqlite.OpenAsync();
        await using (var begin = sqlite.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }

        return new Held(sqlite, "ROLLBACK");
    }

    private sealed class Held(System.Data.Common.DbConnection connection, string release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = release;
                await command.ExecuteNonQueryAsync();
            }

            await connection.DisposeAsync();
        }
    }
}
