using System.Data.Common;
using Npgsql;

namespace ModelOps.Inference.Serving.Log;

/// <summary>
/// The inference log on PostgreSQL (its own database, or the main one: the tables and migrations
/// history are the log's own either way). Batches go in with binary <c>COPY</c>
/// (<see cref="PostgresInferenceLogRows"/>); readers see committed rows only (MVCC), so neither
/// side waits on the other.
/// </summary>
public sealed class PostgresInferenceLogDatabase(string connectionString) : InferenceLogDatabase
{
    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await OpenNpgsqlAsync(cancellationToken);

    internal async Task<NpgsqlConnection> OpenNpgsqlAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    internal override IInferenceLogRows CreateRows() => new PostgresInferenceLogRows(this);

    /// <summary>NUL becomes U+FFFD: PostgreSQL refuses it in text, which would fail the whole batch.</summary>
    public override string Storable(string text) => text.Contains('\0') ? text.Replace('\0', '\uFFFD') : text;
}
