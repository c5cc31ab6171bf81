using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Persistence;
using ModelOps.Core.Persistence.Postgres;

namespace ModelOps.Tests.Infrastructure;

/// <summary>
/// A fresh main database with the real migrations applied, on the provider <see cref="TestProvider"/>
/// names: a temp SQLite file in WAL mode (deleted with its WAL files on dispose), or a PostgreSQL
/// database of its own (dropped on dispose).
/// </summary>
public sealed class MigratedDatabase : IAsyncDisposable
{
    private MigratedDatabase(bool postgres, string connectionString, string? sqlitePath)
    {
        IsPostgres = postgres;
        ConnectionString = connectionString;
        _sqlitePath = sqlitePath;
    }

    private readonly string? _sqlitePath;

    public bool IsPostgres { get; }

    public string ConnectionString { get; }

    public static async Task<MigratedDatabase> CreateAsync()
    {
        var database = TestProvider.IsPostgres
            ? new MigratedDatabase(true, await PostgresServer.CreateDatabaseAsync(), null)
            : Sqlite(Path.Combine(Path.GetTempPath(), $"modelops-{Guid.NewGuid():N}.db"));
        await using var db = database.NewContext();
        await db.Database.MigrateAsync();
        if (!database.IsPostgres)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        return database;
    }

    /// <summary>A context of the provider's own type (it owns that provider's migrations), as the app resolves it.</summary>
    public ModelOpsDbContext NewContext(params IInterceptor[] interceptors)
    {
        var options = new DbContextOptionsBuilder<ModelOpsDbContext>();
        _ = IsPostgres ? options.UseNpgsql(ConnectionString) : options.UseSqlite(ConnectionString);
        options.AddInterceptors(interceptors);
        return IsPostgres ? new PostgresModelOpsDbContext(options.Options) : new ModelOpsDbContext(options.Options);
    }

    /// <summary>Points a service collection's <see cref="DatabaseOptions"/> at this database.</summary>
    public void Configure(IServiceCollection services) => services.Configure<DatabaseOptions>(o =>
    {
        o.Provider = IsPostgres ? DatabaseOptions.Postgres : DatabaseOptions.Sqlite;
        o.ConnectionString = ConnectionString;
    });

    public async ValueTask DisposeAsync()
    {
        if (IsPostgres)
        {
            await PostgresServer.DropDatabaseAsync(ConnectionString);
            return;
        }

        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_sqlitePath + suffix);
        }
    }

    private static MigratedDatabase Sqlite(string path) => new(false, $"Data Source={path}", path);
}
