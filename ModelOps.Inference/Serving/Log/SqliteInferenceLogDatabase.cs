using Microsoft.Data.Sqlite;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// The inference log's own SQLite database as the writer, reader, retention and replay reach
/// it: raw ADO.NET over the same connection string as <c>InferenceLogDbContext</c>, which owns the
/// schema (WAL mode, set at start by the database initializer). A file apart from the main
/// database, so a batch here never holds the write lock a routing change or an audit row needs.
/// </summary>
public sealed class InferenceLogDatabase(string connectionString)
{
    /// <summary>
    /// The writer, the retention sweep and a start-up replay share the file; SQLite allows one
    /// writer at a time, so a connection waits up to this long for the write lock instead of
    /// failing at once.
    /// </summary>
    public const int BusyTimeoutMs = 5_000;

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA busy_timeout={BusyTimeoutMs};";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
