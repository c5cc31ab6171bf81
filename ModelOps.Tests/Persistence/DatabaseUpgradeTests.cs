using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Persistence;
using ModelOps.Core.Serving.Log;
using ModelOps.Tests.Infrastructure;
using ModelOps.Tests.Serving.Log;

namespace ModelOps.Tests.Persistence;

public sealed class DatabaseUpgradeTests : IAsyncLifetime
{
    private MigratedSqliteFile _main = null!; // Set in InitializeAsync, before any test runs.
    private MigratedInferenceLogFile _log = null!; // Set in InitializeAsync, before any test runs.

    public async Task InitializeAsync()
    {
        _main = await MigratedSqliteFile.CreateAsync(migrate: false);
        _log = await MigratedInferenceLogFile.CreateAsync(migrate: false);
    }

    public async Task DisposeAsync()
    {
        await _main.DisposeAsync();
        await _log.DisposeAsync();
    }

    [Fact]
    public async Task Run_FreshFiles_LogTablesOnlyInTheLogDatabaseAndBothInWal()
    {
        await RunAsync(_log.ConnectionString);

        Assert.Empty(await LegacyLayout.TablesAsync(_main.ConnectionString));
        Assert.Equal(["InferenceFeedback", "InferenceLog"], await LegacyLayout.TablesAsync(_log.ConnectionString));
        Assert.Equal(("wal", "wal"), (await JournalModeAsync(_main.ConnectionString), await JournalModeAsync(_log.ConnectionString)));
    }

    [Fact]
    public async Task Run_MainDatabaseFromBeforeTheMove_RowsMovedToTheLogAndOldTablesDropped()
    {
        await LegacyLayout.MigrateBeforeTheMoveAsync(_main);
        await LogRecords.PersistAsync(_main.ConnectionString, [LogRecords.Record("r1"), LogRecords.Record("r2")], [LogRecords.Feedback("r2", LogRecords.Start)]);

        var copied = await RunAsync(_log.ConnectionString);

        Assert.Equal((2, 1), copied);
        Assert.Empty(await LegacyLayout.TablesAsync(_main.ConnectionString));
        await using var log = _log.NewContext();
        Assert.Equal(["r1", "r2"], await log.Set<InferenceLogEntry>().OrderBy(e => e.Id).Select(e => e.RequestId).ToListAsync());
        Assert.Equal("r2", (await log.Set<InferenceFeedback>().SingleAsync()).RequestId);
        await using var main = _main.NewContext();
        Assert.Empty(await main.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Run_LogPointedAtTheMainDatabase_BothSchemasMigrateInOneFile()
    {
        await RunAsync(_main.ConnectionString);

        Assert.Equal(["InferenceFeedback", "InferenceLog"], await LegacyLayout.TablesAsync(_main.ConnectionString));
        await using var main = _main.NewContext();
        await using var log = MigratedInferenceLogFile.Context(_main.ConnectionString);
        Assert.Empty(await main.Database.GetPendingMigrationsAsync());
        Assert.Empty(await log.Database.GetPendingMigrationsAsync());
    }

    private async Task<(long Records, long Feedback)> RunAsync(string logConnectionString)
    {
        await using var main = _main.NewContext();
        await using var log = MigratedInferenceLogFile.Context(logConnectionString);
        return await DatabaseUpgrade.RunAsync(main, log, CancellationToken.None);
    }

    private static async Task<string?> JournalModeAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        return (string?)await command.ExecuteScalarAsync();
    }
}
