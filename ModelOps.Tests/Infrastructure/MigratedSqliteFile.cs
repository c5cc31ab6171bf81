using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Persistence;

namespace ModelOps.Tests.Infrastructure;

/// <summary>
/// A fresh SQLite file in the temp directory with the real migrations applied and WAL on, as
/// the app's database initializer leaves it. Deleted (with its WAL files) on dispose.
/// </summary>
public sealed class MigratedSqliteFile : IAsyncDisposable
{
    private MigratedSqliteFile(string path) => Path = path;

    public string Path { get; }

    public string ConnectionString => $"Data Source={Path}";

    public static async Task<MigratedSqliteFile> CreateAsync(bool migrate = true)
    {
        var file = new MigratedSqliteFile(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"modelops-{Guid.NewGuid():N}.db"));
        if (migrate)
        {
            await using var db = file.NewContext();
            await db.Database.MigrateAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        return file;
    }

    public ModelOpsDbContext NewContext() =>
        new(new DbContextOptionsBuilder<ModelOpsDbContext>().UseSqlite(ConnectionString).Options);

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
