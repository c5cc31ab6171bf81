using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ModelOps.Core.Persistence;

/// <summary>
/// Sets SQLite's own busy timeout on every connection the main database's contexts open. Without
/// it a writer that finds the write lock held gets <c>SQLITE_BUSY</c> at once and Microsoft.Data.Sqlite
/// retries the statement after sleeping 150 ms each time, so a rollback's decision or routing write
/// that met the judge's or the verifier's short transaction waited 150, 300, 450 ms (measured: the
/// slow tail of <c>rollback-restore</c> sat on those multiples). SQLite's busy handler retries after
/// 1, 2, 5, 10 … ms instead, so the wait ends soon after the other transaction commits. It covers
/// the write lock only: the main database therefore no longer uses a shared cache, whose table locks
/// (<c>SQLITE_LOCKED</c>) made even a reader wait for a writer in 150 ms steps.
/// </summary>
public sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    /// <summary>How long a connection waits for the write lock before failing with <c>SQLITE_BUSY</c>.</summary>
    public const int Milliseconds = 30_000;

    /// <summary>Sets SQLite's busy timeout on an open connection (the inference log's connections use it too).</summary>
    public static async Task SetAsync(SqliteConnection connection, int milliseconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var pragma = Pragma(connection, milliseconds);
        await pragma.ExecuteNonQueryAsync(cancellationToken);
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (connection is SqliteConnection sqlite)
        {
            using var pragma = Pragma(sqlite, Milliseconds);
            pragma.ExecuteNonQuery();
        }
    }

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
        connection is SqliteConnection sqlite ? SetAsync(sqlite, Milliseconds, cancellationToken) : Task.CompletedTask;

    private static SqliteCommand Pragma(SqliteConnection connection, int milliseconds)
    {
        var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA busy_timeout={milliseconds};";
        return pragma;
    }
}
