using System.Net.Http.Json;
using System.Text.Json;
using ModelOps.Core.Audit.Checkpoints;
using ModelOps.Tests.Serving.Inference;

namespace ModelOps.Tests.Audit.Checkpoints;

public sealed class RoutingCheckpointTests : IAsyncLifetime
{
    private readonly InferenceAppFixture _app = new();

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task RoutingChange_Applied_IsAnchoredByACheckpointOfItsOwnRow()
    {
        using var operatorClient = await _app.Factory.CreateClientForAsync("operator");
        var change = new { weights = new[] { new { version = 2, percent = 90.0 }, new { version = 3, percent = 10.0 } }, baselineVersion = 2, candidateVersion = 3, reason = "canary 10%" };

        using var response = await operatorClient.PutAsJsonAsync("/api/models/ctr-ranker/routing", change);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var rows = await operatorClient.GetFromJsonAsync<JsonElement[]>("/api/audit?action=routing.applied");
        var routingRow = rows!.Where(r => r.GetProperty("details").GetProperty("reason").GetString() == "canary 10%").Single();
        var lines = await File.ReadAllLinesAsync(Path.Combine(_app.Factory.DataDirectory, "audit", "checkpoints.jsonl"));
        var anchored = lines.Select(l => CheckpointJson.Parse(System.Text.Encoding.UTF8.GetBytes(l)).Value!).ToList();
        Assert.Contains(anchored, c => c.Seq == routingRow.GetProperty("seq").GetInt64() && c.HeadHash == routingRow.GetProperty("hash").GetString());
    }
}
