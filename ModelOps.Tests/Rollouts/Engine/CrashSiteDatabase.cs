using Microsoft.Data.Sqlite;

namespace ModelOps.Tests.Rollouts.Engine;

/// <summary>
/// A child app's SQLite file, opened from the test process (no pooling, so no handle outlives a
/// call): what a killed process left on disk, and a switch that makes the app's next write to one
/// table fail. The switch is a trigger refusing every update of that table (the persisted routing
/// table, the alias table), so a decision commits and the step after it is refused — on disk
/// exactly the state a kill between the two leaves, but reached deterministically, with the
/// process then killed in that state. No engine code knows about it; it lives only in the test's
/// database and is dropped before the restart.
/// </summary>
internal static class CrashSiteDatabase
{
    /// <summary>The table behind the routing swap.</summary>
    public const string RoutingTable = "RoutingTableRecord";

    /// <summary>The table behind an alias move.</summary>
    public const string AliasTable = "ModelAlias";

    public static Task RefuseUpdatesAsync(string dataDirectory, string table) => ExecuteAsync(dataDirectory,
        $"CREATE TRIGGER {TriggerOn(table)} BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, 'crash test: update of {table} refused'); END;");

    public static Task AllowUpdatesAsync(string dataDirectory, string table) => ExecuteAsync(dataDirectory, $"DROP TRIGGER IF EXISTS {TriggerOn(table)};");

    /// <summary>The rollout's row as stored: what the restart has to carry on from.</summary>
    public static async Task<(string State, int StepIndex, int? RollbackStepIndex)> RolloutAsync(string dataDirectory, string id)
    {
        await using var connection = await OpenAsync(dataDirectory);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT State, StepIndex, RollbackStepIndex FROM Rollout WHERE Id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"rollout {id} is not stored");
        return (reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetInt32(2));
    }

    /// <summary>A fresh data directory for a child app that is killed and started again on it.</summary>
    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "modelops-crash", Guid.NewGuid().ToString("N"));

    /// <summary>Deletes a data directory once no pooled connection of this process holds its files.</summary>
    public static void DeleteDataDirectory(string directory)
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string TriggerOn(string table) => $"crash_test_refuse_{table}";

    private static async Task ExecuteAsync(string dataDirectory, string sql)
    {
        await using var connection = await OpenAsync(dataDirectory);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<SqliteConnection> OpenAsync(string dataDirectory)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "modelops.db")};Pooling=False;Default Timeout=30");
        await connection.OpenAsync();
        return connection;
    }
}
