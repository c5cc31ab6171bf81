using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelOps.Core;

namespace ModelOps.Tests.Serving.Inference;

public sealed class GracefulShutdownTests : IAsyncLifetime
{
    private const int Requests = 400;
    private readonly InferenceAppFixture _app = new();

    public async Task InitializeAsync()
    {
        // A long flush interval: without the drain on stop, most rows would still be queued.
        _app.Factory.Settings["ModelOps:Inference:Log:FlushIntervalMs"] = "60000";
        _app.Factory.Settings["ModelOps:Inference:Log:BatchSize"] = "100000";
        await _app.InitializeAsync();
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task StopApplication_AfterTraffic_EveryRequestIsInTheLog()
    {
        var ids = new List<string>();
        for (var i = 0; i < Requests; i++)
        {
            using var response = await _app.Client.PostAsJsonAsync("/inference/ctr-ranker/predict", new { features = InferenceAppFixture.Features(hour: i % 24) });
            response.EnsureSuccessStatusCode();
            ids.Add((await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("requestId").GetString()!);
        }

        Assert.True((await LoggedIdsAsync()).Count < Requests, "the rows should still be queued before the stop (60 s flush interval)");
        var lifetime = _app.Factory.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopped = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStopped.Register(() => stopped.TrySetResult());
        lifetime.StopApplication();
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var logged = await LoggedIdsAsync();
        var missing = ids.Count(id => !logged.Contains(id));
        Assert.True(missing == 0, $"{missing} of {Requests} requests are missing from the log after a graceful stop");
    }

    private async Task<HashSet<string>> LoggedIdsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_app.Factory.DataDirectory, CoreServiceCollectionExtensions.InferenceLogFile)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT RequestId FROM InferenceLog";
        var logged = new HashSet<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            logged.Add(reader.GetString(0));
        }

        return logged;
    }
}
