using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace ModelOps.Core.Persistence;

/// <summary>
/// One replica at a time through start-up's shared work — migrating the database, seeding access
/// and demo data, and writing a never-routed model's first routing table: on PostgreSQL a
/// session-level advisory lock held on a connection of its own until disposed, so replicas started
/// at the same moment on an empty database take turns instead of both creating the same tables
/// (one of them failing with "relation already exists") or seeding twice. The next replica's
/// migration then finds nothing to do. On SQLite nothing is held: one process owns the file.
/// A replica that dies holding the lock releases it with its connection.
/// </summary>
public sealed class StartupLock : IAsyncDisposable
{
    /// <summary>The advisory lock's key, distinct from the audit chain's ("ModelOpt" in ASCII).</summary>
    public const long Key = 5579788850106953844;

    private readonly NpgsqlConnection? _connection;

    private StartupLock(NpgsqlConnection? connection) => _connection = connection;

    /// <summary>Waits for the lock (other replicas' start-up) and takes it.</summary>
    public static async Task<StartupLock> AcquireAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (!database.IsNpgsql())
        {
            return new StartupLock(null);
        }

        var connection = new NpgsqlConnection(database.GetConnectionString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
            take.Parameters.AddWithValue("key", Key);
            take.CommandTimeout = 0; // as long as the replica before this one takes to start
            await take.ExecuteNonQueryAsync(cancellationToken);
            return new StartupLock(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is null)
        {
            return;
        }

        // Closing the session releases a session-level lock too; unlocking first returns it at once.
        await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", _connection);
        release.Parameters.AddWithValue("key", Key);
        await release.ExecuteNonQueryAsync();
        await _connection.DisposeAsync();
    }
}
