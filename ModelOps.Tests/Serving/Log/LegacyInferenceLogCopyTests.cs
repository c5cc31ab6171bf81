using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Serving.Log;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Tests.Serving.Log;

public sealed class LegacyInferenceLogCopyTests : IAsyncLifetime
{
    private MigratedSqliteFile _main = null!; // Set in InitializeAsync, before any test runs.
    private MigratedInferenceLogFile _log = null!; // Set in InitializeAsync, before any test runs.

    public async Task InitializeAsync()
    {
        _main = await MigratedSqliteFile.CreateAsync(migrate: false);
        await LegacyLayout.MigrateBeforeTheMoveAsync(_main);
        _log = await MigratedInferenceLogFile.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await _main.DisposeAsync();
        await _log.DisposeAsync();
    }

    [Fact]
    public async Task Run_OldTablesHoldRows_CopiesEveryRowWithItsIdAndTime()
    {
        await LogRecords.PersistAsync(_main.ConnectionString,
            [LogRecords.Record("r1"), LogRecords.Record("r2", LogRecords.Start.AddMinutes(1))],
            [LogRecords.Feedback("r1", LogRecords.Start.AddMinutes(2), outcome: 1)]);
        await using var log = _log.NewContext();

        var copied = await LegacyInferenceLogCopy.RunAsync(_main.Path, log, CancellationToken.None);

        Assert.Equal((2, 1), copied);
        var rows = await log.Set<InferenceLogEntry>().OrderBy(e => e.Id).Select(e => new { e.Id, e.RequestId, e.At, e.FeaturesJson }).ToListAsync();
        Assert.Equal([(1L, "r1", LogRecords.Start), (2L, "r2", LogRecords.Start.AddMinutes(1))], rows.Select(r => (r.Id, r.RequestId, r.At)));
        Assert.Equal("{\"age\":31,\"email\":\"***\",\"country\":\"de\"}", rows[0].FeaturesJson);
        var feedback = await log.Set<InferenceFeedback>().SingleAsync();
        Assert.Equal(("r1", 1d, LogRecords.Start.AddMinutes(2)), (feedback.RequestId, feedback.Outcome, feedback.ReceivedAt));
    }

    [Fact]
    public async Task Run_AgainBeforeTheOldTablesAreDropped_CopiesNothingTwice()
    {
        // A process killed after the copy committed but before the main migration dropped the old tables.
        await LogRecords.PersistAsync(_main.ConnectionString, [LogRecords.Record("r1")], [LogRecords.Feedback("r1", LogRecords.Start)]);
        await using var log = _log.NewContext();
        await LegacyInferenceLogCopy.RunAsync(_main.Path, log, CancellationToken.None);

        var again = await LegacyInferenceLogCopy.RunAsync(_main.Path, log, CancellationToken.None);

        Assert.Equal((0, 0), again);
        Assert.Equal((1, 1), (await log.Set<InferenceLogEntry>().CountAsync(), await log.Set<InferenceFeedback>().CountAsync()));
    }

    [Fact]
    public async Task Run_MainDatabaseWithoutTheOldTables_CopiesNothing()
    {
        await using (var main = _main.NewContext())
        {
            await main.Database.MigrateAsync();
        }

        await using var log = _log.NewContext();

        Assert.Equal((0, 0), await LegacyInferenceLogCopy.RunAsync(_main.Path, log, CancellationToken.None));
    }
}
