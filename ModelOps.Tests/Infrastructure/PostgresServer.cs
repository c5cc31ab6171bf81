using System.Diagnostics;
using Npgsql;

namespace ModelOps.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests use: the throwaway cluster the README's test command starts
/// (its connection string in <c>MODELOPS_TEST_POSTGRES</c>), or, when a test is run on its own
/// without it, a cluster this process starts with the same script (tools/pg-throwaway.sh) and
/// stops when it exits. Each caller gets a database of its own. The benchmarks link this file
/// (their <c>--connection</c> option sets the variable before the first use).
/// </summary>
public static class PostgresServer
{
    public const string Variable = "MODELOPS_TEST_POSTGRES";

    private static readonly Lazy<string> Server = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The connection string of the server's maintenance database.</summary>
    public static string ConnectionString => Server.Value;

    /// <summary>True when this process started the cluster (tools/pg-throwaway.sh: fsync and synchronous commit off).</summary>
    public static bool StartedHere { get; private set; }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix = "modelops")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// <see cref="CreateDatabaseAsync"/> for a constructor (the app fixture makes its database
    /// before the host is configured, which xunit does synchronously).
    /// </summary>
    public static string CreateDatabase(string prefix = "modelops")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary><see cref="DropDatabaseAsync"/> for a synchronous dispose.</summary>
    public static void DropDatabase(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing what still uses it.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
        {
            return configured;
        }

        var script = Path.Combine(Repository.Root(), "tools", "pg-throwaway.sh");
        var directory = Path.Combine(Path.GetTempPath(), $"modelops-pg-{Environment.ProcessId}");
        var connectionString = Run(script, "start", directory).Trim();
        StartedHere = true;
        // A watcher outlives this process: the test host is often killed, not exited, so ProcessExit
        // alone would leave the cluster running.
        var watcher = new ProcessStartInfo("bash") { UseShellExecute = false };
        watcher.ArgumentList.Add("-c");
        watcher.ArgumentList.Add("tail --pid=\"$1\" -f /dev/null; bash \"$2\" stop \"$3\"");
        watcher.ArgumentList.Add("watcher");
        watcher.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        watcher.ArgumentList.Add(script);
        watcher.ArgumentList.Add(directory);
        Process.Start(watcher)?.Dispose();
        return connectionString;
    }

    private static string Run(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash.");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{script} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}. Is PostgreSQL installed (apt-get install postgresql)?");
        }

        return output;
    }
}
