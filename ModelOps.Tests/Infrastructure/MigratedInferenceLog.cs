using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Serving.Log;
using ModelOps.Inference.Serving.Log;

namespace ModelOps.Tests.Infrastructure;

/// <summary>
/// A fresh inference log database on either provider, with the provider's real migrations:
/// a SQLite file (<see cref="MigratedInferenceLogFile"/>) or a database of its own on the test
/// PostgreSQL server (<see cref="PostgresServer"/>). Log-level tests take the provider as a
/// <c>[Theory]</c> argument from <see cref="Providers"/>, so both run in every test pass.
/// </summary>
public sealed class MigratedInferenceLog : IAsyncDisposable
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    private readonly MigratedInferenceLogFile? _file;

    private MigratedInferenceLog(string provider, string connectionString, MigratedInferenceLogFile? file)
    {
        (Provider, ConnectionString, _file) = (provider, connectionString, file);
        Database = provider == Postgres ? new PostgresInferenceLogDatabase(connectionString) : new SqliteInferenceLogDatabase(connectionString);
    }

    public static TheoryData<string> Providers => new() { Sqlite, Postgres };

    public string Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The database as the app reaches it (a new object each time is fine: it holds only the connection string).</summary>
    public InferenceLogDatabase Database { get; }

    public static async Task<MigratedInferenceLog> CreateAsync(string provider, bool migrate = true)
    {
        if (provider == Sqlite)
        {
            var file = await MigratedInferenceLogFile.CreateAsync(migrate);
            return new MigratedInferenceLog(provider, file.ConnectionString, file);
        }

        var log = new MigratedInferenceLog(provider, await PostgresServer.CreateDatabaseAsync("modelops_log"), null);
        if (migrate)
        {
            await using var db = log.NewContext();
            await db.Database.MigrateAsync();
        }

        return log;
    }

    public InferenceLogDbContext NewContext() => Provider == Postgres
        ? new PostgresInferenceLogDbContext(new DbContextOptionsBuilder<PostgresInferenceLogDbContext>()
            .UseNpgsql(ConnectionString, npgsql => npgsql.MigrationsHistoryTable(InferenceLogDbContext.MigrationsHistoryTable)).Options)
        : MigratedInferenceLogFile.Context(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            await _file.DisposeAsync();
        }
        else
        {
            await PostgresServer.DropDatabaseAsync(ConnectionString);
        }
    }
}
