using System.Data.Common;
using Microsoft.Data.Sqlite;
using ModelOps.Core.Persistence;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// The inference log in its own SQLite file (WAL mode, set at start by the database initializer):
/// a file apart from the main database, so a batch here never holds the write lock a routing
/// change or an audit row needs.
/// </summary>
public sealed class SqliteInferenceLogDatabase(string connectionString) : InferenceLogDatabase
{
    /// <summary>
    /// The writer, the retention sweep and a start-up replay share the file; SQLite allows one
    /// writer at a time, so a connection waits up to this long for the write lock instead of
    /// failing at once.
    /// </summary>
    public const int BusyTimeoutMs = 5_000;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await OpenSqliteAsync(cancellationToken);

    internal async Task<SqliteConnection> OpenSqliteAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await SqliteBusyTimeout.SetAsync(connection, BusyTimeoutMs, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    internal override IInferenceLogRows CreateRows() => new SqliteInferenceLogRows(this);
}
