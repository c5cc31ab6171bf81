using Microsoft.Data.Sqlite;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// The main SQLite database as the inference log reaches it: raw ADO.NET over the same
/// connection string as <c>ModelOpsDbContext</c>, so the log and its feedback sit beside the
/// rest of the state (WAL mode, set at start by the database initializer).
/// </summary>
public sealed class InferenceLogDatabase(string connectionString)
{
    /// <summary>
    /// The audit trail and EF writers share the file; SQLite allows one writer at a time, so a
    /// connection waits up to this long for the write lock instead of failing at once.
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
