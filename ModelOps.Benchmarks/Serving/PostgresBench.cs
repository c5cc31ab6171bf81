using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core;
using ModelOps.Core.Persistence;
using ModelOps.Core.Serving.Log;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Log;
using ModelOps.Tests.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace ModelOps.Benchmarks.Serving;

/// <summary>
/// The PostgreSQL server a benchmark writes to (<c>--connection</c>, else <c>PostgresServer</c>:
/// <c>MODELOPS_TEST_POSTGRES</c> or a throwaway cluster stopped when the process ends) and fresh,
/// migrated inference logs on either provider, built through <c>AddInferenceLog()</c> as the app builds them.
/// </summary>
internal sealed class PostgresBench : IAsyncDisposable
{
    private PostgresBench(string connectionString, string description) => (ConnectionString, Description) = (connectionString, description);

    public string ConnectionString { get; }

    public string Description { get; }

    public static async Task<PostgresBench> LocateAsync(string? connection)
    {
        if (connection is { Length: > 0 })
        {
            Environment.SetEnvironmentVariable(PostgresServer.Variable, connection);
        }

        var server = PostgresServer.ConnectionString;
        var origin = PostgresServer.StartedHere ? "throwaway cluster from tools/pg-throwaway.sh; fsync=off, synchronous_commit=off" : "given";
        return new PostgresBench(server, $"{origin} ({await VersionAsync(server)})");
    }

    /// <summary>A migrated, empty inference log on <paramref name="provider"/>, deleted on dispose.</summary>
    public async Task<Target> LogAsync(string provider)
    {
        var directory = Path.Combine(Path.GetTempPath(), "modelops-bench-log", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string? database = null; // a connection string
        var settings = new Dictionary<string, string?>
        {
            ["ModelOps:Inference:Log:Capacity"] = "10000000",
            ["ModelOps:Inference:Log:Journal"] = "false",
        };
        if (provider == "Postgres")
        {
            database = await PostgresServer.CreateDatabaseAsync("modelops_bench");
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.Configure<ModelOpsOptions>(o => o.DataDirectory = directory);
        services.Configure<DatabaseOptions>(o =>
        {
            o.Provider = provider;
            o.ConnectionString = database;
        });
        services.AddModelOpsCore().AddInferenceLog();
        var built = services.BuildServiceProvider();
        await using (var scope = built.CreateAsyncScope())
        {
            var log = scope.ServiceProvider.GetRequiredService<InferenceLogDbContext>();
            await log.Database.MigrateAsync();
            if (log.Database.IsSqlite())
            {
                // As the app's start-up does (DatabaseUpgrade): the log's file in WAL mode.
                await log.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            }
        }

        return new Target(built, directory, database);
    }

    public static NpgsqlBatchCommand Insert(InferenceRecord record, LogColumns columns)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO "InferenceLog" ("RequestId", "At", "Model", "Version", "Encoder", "Arm", "RoutingKey", "Region",
                "FeaturesJson", "InputJson", "OutputsJson", "Score", "LatencyMs", "Status", "Error")
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            """);
        object?[] values =
        [
            record.RequestId, StoredTime.ToStored(record.At), record.Model, record.Version, LogColumns.Encoder(record), record.Arm.ToWire(),
            record.RoutingKey, record.Region, columns.FeaturesJson(record), columns.FloatsJson(record.Input), columns.FloatsJson(record.Outputs),
            LogColumns.Score(record), LogColumns.LatencyMs(record), record.Status.ToWire(), record.Error,
        ];
        NpgsqlDbType[] types =
        [
            NpgsqlDbType.Text, NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Integer, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text,
            NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Double, NpgsqlDbType.Double, NpgsqlDbType.Text, NpgsqlDbType.Text,
        ];
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = types[i], Value = values[i] ?? DBNull.Value });
        }

        return command;
    }

    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }

    private static async Task<string> VersionAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection.PostgreSqlVersion.ToString();
    }

    /// <summary>One migrated log: its services, and what to delete after.</summary>
    internal sealed class Target(ServiceProvider services, string directory, string? database) : IAsyncDisposable
    {
        public ServiceProvider Services { get; } = services;

        /// <summary>Every row is there, once: a rate over a lossy run would mean nothing.</summary>
        public async Task ProveAsync(int expected)
        {
            await using var scope = Services.CreateAsyncScope();
            var log = scope.ServiceProvider.GetRequiredService<InferenceLogDbContext>().Set<InferenceLogEntry>();
            var (rows, distinct) = (await log.LongCountAsync(), await log.Select(e => e.RequestId).Distinct().LongCountAsync());
            if (rows != expected || distinct != expected)
            {
                throw new InvalidOperationException($"expected {expected} rows, found {rows} ({distinct} distinct request ids)");
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Services.DisposeAsync();
            SqliteConnection.ClearAllPools();
            if (database is not null)
            {
                await PostgresServer.DropDatabaseAsync(database);
            }

            Directory.Delete(directory, recursive: true);
        }
    }
}
