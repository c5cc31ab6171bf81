using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Serving.Log;

namespace ModelOps.Tests.Infrastructure;

/// <summary>
/// A fresh inference log database (its own SQLite file, as the app keeps it) in the temp directory
/// with the log's real migrations applied and WAL on. Deleted (with its WAL files) on dispose.
/// </summary>
public sealed class MigratedInferenceLogFile : IAsyncDisposable
{
    private MigratedInferenceLogFile(string path) => Path = path;

    public string Path { get; }

    public string ConnectionString => $"Data Source={Path}";

    public static async Task<MigratedInferenceLogFile> CreateAsync(bool migrate = true)
    {
        var file = new MigratedInferenceLogFile(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"modelops-log-{Guid.NewGuid():N}.db"));
        if (migrate)
        {
            await using var db = file.NewContext();
            await db.Database.MigrateAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        return file;
    }

    public InferenceLogDbContext NewContext() => Context(ConnectionString);

    /// <summary>The log's context over any SQLite connection string, with the history table the app uses.</summary>
    public static InferenceLogDbContext Context(string connectionString) => new(new DbContextOptionsBuilder<InferenceLogDbContext>()
        .UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable(InferenceLogDbContext.MigrationsHistoryTable)).Options);

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Path + suffix);
        }

        return ValueTask.CompletedTask;
    }
}
