using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelOps.Core.Audit;
using ModelOps.Core.Common;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Inference.Serving.Calibration;

namespace ModelOps.Tests.Serving.Calibration;

public sealed class CalibrationSnapshotsTests : IAsyncLifetime, IDisposable
{
    private const string Model = "ctr-ranker";

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"modelops-calibration-{Guid.NewGuid():N}.db");
    private readonly AuditWriteGate _gate = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly CalibrationRegistry _registry = new(Options.Create(new CalibrationOptions { Models = [Model] }));

    public async Task InitializeAsync()
    {
        await using var db = NewContext();
        await db.Database.MigrateAsync();
        db.Add(new ModelVersion
        {
            Model = Model,
            Version = 1,
            Digest = "sha256:00",
            MetricsJson = "{}",
            InputsJson = "[]",
            OutputsJson = "[]",
            CreatedAt = _time.GetUtcNow(),
            CreatedBy = "operator",
        });
        await db.SaveChangesAsync();
    }

    public void Dispose() => _gate.Dispose();

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Restore_AfterStateMoved_ReturnsTheSnapshottedParametersWithAuditRows()
    {
        var saved = new CalibrationState(1.8, -0.7, 1_000);
        _registry.Set(Model, 1, saved);
        var snapshot = await WithSnapshotsAsync(s => s.SnapshotAsync(Model, 1, "operator", "rollout ro-1 began", CancellationToken.None));
        for (var i = 0; i < 100; i++)
        {
            _registry.Observe(Model, 1, 0.9, 0);
        }

        var restored = await WithSnapshotsAsync(s => s.RestoreAsync(snapshot.Value!.Id, "operator", CancellationToken.None));

        Assert.True(restored.IsSuccess);
        Assert.Equal(saved, restored.Value);
        Assert.Equal(saved, _registry.Get(Model, 1));
        await using var db = NewContext();
        var rows = await db.Set<AuditEntry>().OrderBy(e => e.Seq).ToListAsync();
        Assert.Equal(["calibration.snapshot", "calibration.restored"], rows.Select(r => r.Action));
        Assert.All(rows, r => Assert.Equal($"model:{Model}/versions/1/calibration", r.Target));
        Assert.Contains(snapshot.Value!.Id, rows[1].Details);
    }

    [Fact]
    public async Task Snapshot_CurrentState_IsStoredUnderANewIdAndListed()
    {
        _registry.Set(Model, 1, new CalibrationState(1.2, 0.1, 10));

        var first = await WithSnapshotsAsync(s => s.SnapshotAsync(Model, 1, "operator", null, CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(1));
        var second = await WithSnapshotsAsync(s => s.SnapshotAsync(Model, 1, "operator", null, CancellationToken.None));
        var listed = await WithSnapshotsAsync(s => s.ListAsync(Model, 1, CancellationToken.None));

        Assert.StartsWith("cal-", first.Value!.Id);
        Assert.NotEqual(first.Value.Id, second.Value!.Id);
        Assert.Equal([second.Value.Id, first.Value.Id], listed.Select(v => v.Id));
        Assert.Equal(new CalibrationState(1.2, 0.1, 10), listed[1].State);
    }

    [Fact]
    public async Task Snapshot_UnregisteredVersion_IsNotFoundAndWritesNothing()
    {
        var result = await WithSnapshotsAsync(s => s.SnapshotAsync(Model, 9, "operator", null, CancellationToken.None));

        Assert.Equal(ErrorKind.NotFound, result.Error?.Kind);
        await using var db = NewContext();
        Assert.Equal(0, await db.Set<AuditEntry>().CountAsync());
    }

    [Fact]
    public async Task Restore_UnknownId_IsNotFoundNamingTheIdAndLeavesStateAlone()
    {
        var live = new CalibrationState(1.5, 0.2, 42);
        _registry.Set(Model, 1, live);

        var result = await WithSnapshotsAsync(s => s.RestoreAsync("cal-missing", "operator", CancellationToken.None));

        Assert.Equal(ErrorKind.NotFound, result.Error?.Kind);
        Assert.Contains("cal-missing", result.Error!.Detail);
        Assert.Equal(live, _registry.Get(Model, 1));
        await using var db = NewContext();
        Assert.Equal(0, await db.Set<AuditEntry>().CountAsync());
    }

    private async Task<T> WithSnapshotsAsync<T>(Func<CalibrationSnapshots, Task<T>> action)
    {
        await using var db = NewContext();
        return await action(new CalibrationSnapshots(db, new AuditTrail(db, _gate, _time), _registry, _time));
    }

    private ModelOpsDbContext NewContext() =>
        new(new DbContextOptionsBuilder<ModelOpsDbContext>().UseSqlite($"Data Source={_path}").Options);
}
