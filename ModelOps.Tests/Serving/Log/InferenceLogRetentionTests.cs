using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelOps.Core.Serving.Log;
using ModelOps.Inference.Serving.Log;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Log;

public sealed class InferenceLogRetentionTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(LogRecords.Start);
    private MigratedInferenceLogFile _database = null!; // Set in InitializeAsync, before any test runs.

    public async Task InitializeAsync() => _database = await MigratedInferenceLogFile.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Sweep_RowsEitherSideOfRetention_DeletesOnlyTheOlder()
    {
        var now = LogRecords.Start;
        await LogRecords.PersistAsync(_database,
            [
                LogRecords.Record("old-1", now.AddHours(-200)),
                LogRecords.Record("old-2", now.AddHours(-168).AddSeconds(-1)),
                LogRecords.Record("new-1", now.AddHours(-167)),
                LogRecords.Record("new-2", now.AddMinutes(-1)),
            ],
            [LogRecords.Feedback("old-1", now.AddHours(-199)), LogRecords.Feedback("new-1", now.AddHours(-1))]);

        var deleted = await Retention(retentionHours: 168).SweepAsync(CancellationToken.None);

        Assert.Equal(3, deleted);
        await using var db = _database.NewContext();
        Assert.Equal(["new-1", "new-2"], await db.Set<InferenceLogEntry>().OrderBy(e => e.Id).Select(e => e.RequestId).ToListAsync());
        Assert.Equal(["new-1"], await db.Set<InferenceFeedback>().Select(f => f.RequestId).ToListAsync());
    }

    [Fact]
    public async Task Sweep_MoreOldRowsThanOneChunk_DeletesThemAll()
    {
        var rows = InferenceLogRetention.ChunkRows * 2 + 17;
        await LogRecords.PersistAsync(_database, Enumerable.Range(0, rows)
            .Select(i => LogRecords.Record($"r{i}", LogRecords.Start.AddHours(-300).AddSeconds(i))));

        var deleted = await Retention(retentionHours: 1).SweepAsync(CancellationToken.None);

        Assert.Equal(rows, deleted);
        await using var db = _database.NewContext();
        Assert.Equal(0, await db.Set<InferenceLogEntry>().CountAsync());
    }

    [Fact]
    public async Task Retention_SweepIntervalElapses_SweepsOnItsTimer()
    {
        await LogRecords.PersistAsync(_database, [LogRecords.Record("old", LogRecords.Start.AddHours(-2))]);
        var retention = Retention(retentionHours: 1, sweepMinutes: 10);
        await retention.StartAsync(CancellationToken.None);

        // ExecuteAsync starts on the thread pool, so its timer may not exist at the first advance:
        // keep advancing whole intervals until the sweep has run.
        await using var db = _database.NewContext();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await db.Set<InferenceLogEntry>().AnyAsync() && DateTime.UtcNow < deadline)
        {
            _time.Advance(TimeSpan.FromMinutes(10));
            await Task.Delay(10);
        }

        Assert.False(await db.Set<InferenceLogEntry>().AnyAsync());
        await retention.StopAsync(CancellationToken.None);
    }

    private InferenceLogRetention Retention(int retentionHours, int sweepMinutes = 10) => new(
        new InferenceLogDatabase(_database.ConnectionString),
        Options.Create(new InferenceLogOptions { RetentionHours = retentionHours, RetentionSweepMinutes = sweepMinutes }),
        _time,
        NullLogger<InferenceLogRetention>.Instance);
}
