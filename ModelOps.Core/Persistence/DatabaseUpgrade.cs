using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using ModelOps.Core.Serving.Log;

namespace ModelOps.Core.Persistence;

/// <summary>
/// Migrates the main database and the inference log's own at start, before anything serves, in
/// the order the log's move to its own database needs: the log's schema first, then the rows an
/// older version kept in the main database are copied over (<see cref="LegacyInferenceLogCopy"/>),
/// then the main migrations drop those tables. SQLite files are put in WAL mode, where readers
/// never block the single writer (stored in the file; the connection-string keyword is refused).
/// </summary>
public static class DatabaseUpgrade
{
    /// <summary>Returns the log and feedback rows copied from an older layout (zero once done).</summary>
    public static async Task<(long Records, long Feedback)> RunAsync(ModelOpsDbContext main, InferenceLogDbContext log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(main);
        ArgumentNullException.ThrowIfNull(log);
        if (SqliteFile(main.Database) is { } mainFile && mainFile == SqliteFile(log.Database))
        {
            // Both schemas in one file (ConnectionStrings:InferenceLog pointed at the main database):
            // the main migrations first, as their last one drops the old tables the log's first
            // creates. Rows an older version logged there are not carried over in this layout.
            await main.Database.MigrateAsync(cancellationToken);
            await log.Database.MigrateAsync(cancellationToken);
            await UseWalAsync(main.Database, cancellationToken);
            return (0, 0);
        }

        await log.Database.MigrateAsync(cancellationToken);
        await UseWalAsync(log.Database, cancellationToken);
        var copied = SqliteFile(main.Database) is { } file ? await LegacyInferenceLogCopy.RunAsync(file, log, cancellationToken) : (0, 0);
        await main.Database.MigrateAsync(cancellationToken);
        await UseWalAsync(main.Database, cancellationToken);
        return copied;
    }

    private static async Task UseWalAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        if (database.IsSqlite())
        {
            await database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    /// <summary>The full path of a SQLite database's file; null for another provider or an in-memory database.</summary>
    private static string? SqliteFile(DatabaseFacade database)
    {
        if (!database.IsSqlite())
        {
            return null;
        }

        var source = new SqliteConnectionStringBuilder(database.GetConnectionString()).DataSource;
        return source is "" or ":memory:" ? null : Path.GetFullPath(source);
    }
}
