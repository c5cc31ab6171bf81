using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelOps.Core.Serving.Log;
using ModelOps.Inference.Serving.Log;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Log;

public sealed class InferenceLogRetentionTests
{
    private readonly FakeTimeProvider _time = new(LogRecords.Start);
    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Sweep_RowsEitherSideOfRetention_DeletesOnlyTheOlder(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        var now = LogRecords.Start;
        await LogRecords.PersistAsync(log,
            [
                LogRecords.Record("old-1", now.AddHours(-200)),
                LogRecords.Record("old-2", now.AddHours(-168).AddSeconds(-1)),
                LogRecords.Record("new-1", now.AddHours(-167)),
                LogRecords.Record("new-2", now.AddMinutes(-1)),
            ],
            [LogRecords.Feedback("old-1", now.AddHours(-199)), LogRecords.Feedback("new-1", now.AddHours(-1))]);

        var deleted = await Retention(log, retentionHours: 168).SweepAsync(CancellationToken.None);

        Assert.Equal(3, deleted);
        await using var db = log.NewContext();
        Assert.Equal(["new-1", "new-2"], await db.Set<InferenceLogEntry>().OrderBy(e => e.Id).Select(e => e.RequestId).ToListAsync());
        Assert.Equal(["new-1"], await db.Set<InferenceFeedback>().Select(f => f.RequestId).ToListAsync());
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Sweep_MoreOldRowsThanOneChunk_DeletesThemAll(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        var rows = InferenceLogRetention.ChunkRows * 2 + 17;
        await LogRecords.PersistAsync(log, Enumerable.Range(0, rows)
            .Select(i => LogRecords.Record($"r{i}", LogRecords.Start.AddHours(-300).AddSeconds(i))));

        var deleted = await Retention(log, retentionHours: 1).SweepAsync(CancellationToken.None);

        Assert.Equal(rows, deleted);
        await using var db = log.NewContext();
        Assert.Equal(0, await db.Set<InferenceLogEntry>().CountAsync());
    }

    [Theory]
    [MemberData(nameof(MigratedInferenceLog.Providers), MemberType = typeof(MigratedInferenceLog))]
    public async Task Retention_SweepIntervalElapses_SweepsOnItsTimer(string provider)
    {
        await using var log = await MigratedInferenceLog.CreateAsync(provider);
        await LogRecords.PersistAsync(log, [LogRecords.Record("old", LogRecords.Start.AddHours(-2))]);
        var retention = Retention(log, retentionHours: 1, sweepMinutes: 10);
        await retention.StartAsync(CancellationToken.None);

        // ExecuteAsync starts on the thread pool, so its timer may not exist at the first advance:
        // keep advancing whole intervals until the sweep has run.
        await using var db = log.NewContext();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await db.Set<InferenceLogEntry>().AnyAsync() && DateTime.UtcNow < deadline)
        {
            _time.Advance(TimeSpan.FromMinutes(10));
            await Task.Delay(10);
        }

        Assert.False(await db.Set<InferenceLogEntry>().AnyAsync());
        await retention.StopAsync(CancellationToken.None);
    }

    private InferenceLogRetention Retention(MigratedInferenceLog log, int retentionHours, int sweepMinutes = 10) => new(
        log.Database,
        Options.Create(new InferenceLogOptions { RetentionHours = retentionHours, RetentionSweepMinutes = sweepMinutes }),
        _time,
        NullLogger<InferenceLogRetention>.Instance);
}
