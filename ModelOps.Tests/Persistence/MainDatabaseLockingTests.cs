using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core;
using ModelOps.Core.Persistence;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Tests.Persistence;

/// <summary>
/// How the main SQLite database behaves while another connection holds its write lock, with the
/// contexts exactly as <see cref="CoreServiceCollectionExtensions.AddModelOpsCore"/> configures
/// them. A rollback's decision and its routing write must not queue behind the judge's or the
/// verifier's transactions more than that transaction lasts: a reader reads its snapshot at once,
/// and a writer is woken by SQLite's busy handler instead of the driver's 150 ms retry loop.
/// </summary>
public sealed class MainDatabaseLockingTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("modelops-locking-").FullName;
    private ServiceProvider _provider = null!; // Set in InitializeAsync, before any test runs.

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.Configure<ModelOpsOptions>(o => o.DataDirectory = _directory);
        services.Configure<DatabaseOptions>(_ => { });
        services.AddModelOpsCore();
        _provider = services.BuildServiceProvider();
        await using var scope = _provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Read_WhileAnotherConnectionWritesTheTable_ReadsTheCommittedSnapshotWithoutWaiting()
    {
        await using var writer = await HoldWriteLockAsync();
        await using (var insert = writer.CreateCommand())
        {
            insert.CommandText = "INSERT INTO RoutingTableRecord (Model, Generation, TableJson, UpdatedAt, UpdatedBy) VALUES ('uncommitted', 1, '{}', 0, 'test');";
            await insert.ExecuteNonQueryAsync();
        }

        await using var scope = _provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        // In shared-cache mode this read waits on the writer's table lock until the writer commits
        // (here: never, so it would time out); with a private cache WAL serves the last commit.
        var read = Task.Run(() => db.Set<RoutingTableRecord>().AsNoTracking().Select(r => r.Model).ToListAsync());

        var models = await read.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(models);
    }

    [Fact]
    public async Task Connection_OpenedByTheContext_CarriesSqlitesBusyTimeout()
    {
        await using var scope = _provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        await db.Database.OpenConnectionAsync();
        await using var pragma = db.Database.GetDbConnection().CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout;";

        var timeout = Convert.ToInt32(await pragma.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(SqliteBusyTimeout.Milliseconds, timeout);
    }

    [Fact]
    public async Task Write_WhileAnotherConnectionHoldsTheWriteLock_CommitsOnceTheLockIsReleased()
    {
        var writer = await HoldWriteLockAsync();
        await using var scope = _provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        db.Add(new RoutingTableRecord { Model = "waiting", TableJson = "{}", UpdatedBy = "test" });

        // Microsoft.Data.Sqlite's async calls run synchronously: the wait blocks the calling thread.
        var save = Task.Run(() => db.SaveChangesAsync());
        await Task.Delay(200);
        var waitedForTheLock = !save.IsCompleted;
        await using (var release = writer.CreateCommand())
        {
            release.CommandText = "COMMIT;";
            await release.ExecuteNonQueryAsync();
        }

        await writer.DisposeAsync();
        await save.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(waitedForTheLock, "the save should have waited for the other connection's write lock");
        Assert.Equal(["waiting"], await db.Set<RoutingTableRecord>().AsNoTracking().Select(r => r.Model).ToListAsync());
    }

    [Fact]
    public async Task Write_WhileARollbackIsUrgent_HeldUntilItEnds()
    {
        var priority = _provider.GetRequiredService<WritePriority>();
        var urgent = Task.Run(() => priority.BeginUrgent());
        var scope = await urgent;
        await using var services = _provider.CreateAsyncScope();
        var db = services.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        db.Add(new RoutingTableRecord { Model = "background", TableJson = "{}", UpdatedBy = "test" });

        var save = Task.Run(() => db.SaveChangesAsync());
        await Task.Delay(200);
        var heldWhileUrgent = !save.IsCompleted;
        var storedWhileUrgent = await StoredModelsAsync();
        scope.Dispose();
        await save.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(heldWhileUrgent, "a background write went ahead of the urgent flow");
        Assert.Empty(storedWhileUrgent);
        Assert.Equal(["background"], await StoredModelsAsync());
    }

    [Fact]
    public async Task Write_InsideATransactionBegunBeforeTheRollback_NotHeld()
    {
        var priority = _provider.GetRequiredService<WritePriority>();
        await using var services = _provider.CreateAsyncScope();
        var db = services.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        using var urgent = await Task.Run(() => priority.BeginUrgent());
        db.Add(new RoutingTableRecord { Model = "in-transaction", TableJson = "{}", UpdatedBy = "test" });

        // It holds the write lock the rollback needs: holding it back would only make the rollback wait.
        await Task.Run(() => db.SaveChangesAsync()).WaitAsync(WritePriority.MaxWait / 2);
        await transaction.CommitAsync();

        Assert.Equal(["in-transaction"], await StoredModelsAsync());
    }

    private async Task<List<string>> StoredModelsAsync()
    {
        await using var services = _provider.CreateAsyncScope();
        var db = services.ServiceProvider.GetRequiredService<ModelOpsDbContext>();
        return await Task.Run(() => db.Set<RoutingTableRecord>().AsNoTracking().Select(r => r.Model).ToListAsync());
    }

    /// <summary>A second connection with the app's own connection string, inside BEGIN IMMEDIATE.</summary>
    private async Task<SqliteConnection> HoldWriteLockAsync()
    {
        string connectionString;
        await using (var scope = _provider.CreateAsyncScope())
        {
            connectionString = scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>().Database.GetConnectionString()!;
        }

        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        await begin.ExecuteNonQueryAsync();
        return connection;
    }
}
