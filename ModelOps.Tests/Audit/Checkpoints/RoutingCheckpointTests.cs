using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Audit;
using ModelOps.Core.Audit.Checkpoints;
using ModelOps.Core.Common;
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

    [Fact]
    public async Task RoutingRow_Committed_AfterCommitRunsBeforeTheRowIsAnchoredAndTheAnchorFollows()
    {
        await using var scope = _app.Factory.Services.CreateAsyncScope();
        var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        var log = scope.ServiceProvider.GetRequiredService<AuditLog>();
        long? anchoredDuringAfterCommit = null;
        long? headDuringAfterCommit = null;

        var result = await trail.ExecuteAsync<bool>(
            _ => Task.FromResult<Result<AuditedChange<bool>>>(new AuditedChange<bool>(true, new AuditRecord("operator", "routing.applied", "model:ctr-ranker/routing", new { reason = "order test" }, "ctr-ranker"))),
            _ =>
            {
                // What a traffic swap would see: its row committed, the checkpoint not yet written.
                headDuringAfterCommit = log.HeadAsync(CancellationToken.None).GetAwaiter().GetResult()!.Seq;
                anchoredDuringAfterCommit = AnchoredSeqs().DefaultIfEmpty(0).Max();
            },
            CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.True(anchoredDuringAfterCommit < headDuringAfterCommit, $"anchored {anchoredDuringAfterCommit} while the committed head was {headDuringAfterCommit}");
        Assert.Contains(headDuringAfterCommit!.Value, AnchoredSeqs());
    }

    [Fact]
    public async Task Change_Refused_AfterCommitDoesNotRun()
    {
        await using var scope = _app.Factory.Services.CreateAsyncScope();
        var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        var ran = false;

        var result = await trail.ExecuteAsync<bool>(
            _ => Task.FromResult<Result<AuditedChange<bool>>>(Error.Conflict("refused")),
            _ => ran = true,
            CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.False(ran);
    }

    private IEnumerable<long> AnchoredSeqs()
    {
        var file = Path.Combine(_app.Factory.DataDirectory, "audit", "checkpoints.jsonl");
        return File.Exists(file)
            ? File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => CheckpointJson.Parse(System.Text.Encoding.UTF8.GetBytes(l)).Value!.Seq).ToList()
            : [];
    }
}
