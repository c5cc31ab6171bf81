using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core;
using ModelOps.Core.Audit;
using ModelOps.Core.Audit.Checkpoints;
using ModelOps.Core.Persistence;
using ModelOps.Core.Serving.Log;
using ModelOps.Tests.Infrastructure;
using Npgsql;

namespace ModelOps.Benchmarks.Audit;

/// <summary>
/// Audit appends per second through the real audited transaction, with one replica and with two
/// replicas writing one chain (run: <c>dotnet run -c Release --project ModelOps.Benchmarks --
/// audit-append --provider postgres [--connection CS] [--appends N] [--writers W]</c>). A replica is
/// its own service provider (own gate, own connection pool) in this process; the cross-replica
/// serialisation is PostgreSQL's advisory lock, so the database sees what two processes would
/// send it. PostgreSQL is <c>--connection</c>, else <c>MODELOPS_TEST_POSTGRES</c>, else a throwaway cluster (<c>PostgresServer</c>).
/// SQLite is measured with one replica only (one process owns the file). Prints figures and
/// whether the chain verifies; asserts nothing.
/// </summary>
public static class AuditAppendHarness
{
    public const string Command = "audit-append";

    public static async Task RunAsync(string[] options)
    {
        var postgres = Option(options, "--provider", "postgres").Equals("postgres", StringComparison.OrdinalIgnoreCase);
        var appends = int.Parse(Option(options, "--appends", "2000"), CultureInfo.InvariantCulture);
        var writers = int.Parse(Option(options, "--writers", "4"), CultureInfo.InvariantCulture);
        var directory = Path.Combine(Path.GetTempPath(), "modelops-audit-append", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        if (postgres && Option(options, "--connection", "") is { Length: > 0 } given)
        {
            Environment.SetEnvironmentVariable(PostgresServer.Variable, given);
        }

        try
        {
            Console.WriteLine($"audit appends, provider {(postgres ? "postgres" : "sqlite")}, {appends} rows per run, {Environment.ProcessorCount} cores");
            await MeasureAsync("1 replica, 1 writer", postgres, directory, replicas: 1, writers: 1, appends);
            await MeasureAsync($"1 replica, {writers} writers", postgres, directory, replicas: 1, writers, appends);
            if (postgres)
            {
                await MeasureAsync("2 replicas, 1 writer each", postgres, directory, replicas: 2, writers: 1, appends);
                await MeasureAsync($"2 replicas, {writers} writers each", postgres, directory, replicas: 2, writers, appends);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task MeasureAsync(string label, bool postgres, string root, int replicas, int writers, int appends)
    {
        var connectionString = postgres ? await PostgresServer.CreateDatabaseAsync("audit_append") : $"Data Source={Path.Combine(root, $"{Guid.NewGuid():N}.db")}";
        var providers = Enumerable.Range(0, replicas).Select(_ => Replica(postgres, connectionString, root)).ToList();
        try
        {
            await using (var scope = providers[0].CreateAsyncScope())
            {
                await DatabaseUpgrade.RunAsync(
                    scope.ServiceProvider.GetRequiredService<ModelOpsDbContext>(), scope.ServiceProvider.GetRequiredService<InferenceLogDbContext>(), CancellationToken.None);
            }

            var perWriter = appends / (replicas * writers);
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(providers.SelectMany(p => Enumerable.Range(0, writers).Select(_ => Task.Run(() => AppendAsync(p, perWriter)))));
            watch.Stop();
            var rows = perWriter * replicas * writers;
            await using var verify = providers[^1].CreateAsyncScope();
            var verification = await verify.ServiceProvider.GetRequiredService<AuditLog>().VerifyAsync(CancellationToken.None);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {label,-28} {rows,6} rows in {watch.Elapsed.TotalSeconds,6:F2} s = {rows / watch.Elapsed.TotalSeconds,6:F0} appends/s; chain valid={verification.Valid}, rows={verification.Count}"));
        }
        finally
        {
            foreach (var provider in providers)
            {
                await provider.DisposeAsync();
            }
        }
    }

    private static async Task AppendAsync(IServiceProvider provider, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await using var scope = provider.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AuditTrail>()
                .AppendAsync(new AuditRecord("harness", "harness.append", $"item:{i}", new { i }), CancellationToken.None);
        }
    }

    private static ServiceProvider Replica(bool postgres, string connectionString, string root)
    {
        var directory = Path.Combine(root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var services = new ServiceCollection();
        services.AddLogging();
        services.Configure<ModelOpsOptions>(o => o.DataDirectory = directory);
        services.Configure<DatabaseOptions>(o =>
        {
            o.Provider = postgres ? DatabaseOptions.Postgres : DatabaseOptions.Sqlite;
            o.ConnectionString = connectionString;
        });
        services.Configure<AuditCheckpointOptions>(_ => { });
        services.AddModelOpsCore();
        return services.BuildServiceProvider();
    }

    private static string Option(string[] options, string name, string fallback)
    {
        var index = Array.IndexOf(options, name);
        return index >= 0 && index + 1 < options.Length ? options[index + 1] : fallback;
    }
}
