using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelOps.Core.Cluster;
using ModelOps.Core.Persistence;
using ModelOps.Core.Persistence.Postgres;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Cluster;
using ModelOps.Inference.Serving.Metrics;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Tests.Infrastructure;
using Npgsql;

namespace ModelOps.Benchmarks.Cluster;

/// <summary>
/// <c>replica-flush [series] [seconds]</c>: the cost of one replica publishing its serving metrics
/// (<see cref="ReplicaMetricsPublisher"/>) to PostgreSQL (<c>MODELOPS_TEST_POSTGRES</c>, else a
/// throwaway cluster). A store with <c>series</c> series (default 64) each serving 100 requests a
/// second (so every bucket's 64-sample reservoir is full) is flushed once per simulated second for
/// <c>seconds</c> (default 120) seconds, on a manual clock so only the flushes run. Prints rows/s,
/// flush wall time p50/p99, and CPU per flush in this process and in the PostgreSQL backend serving
/// it (its /proc stat; the pool hands the publisher the same physical connection every time).
/// </summary>
public static class ReplicaFlushHarness
{
    public const string Command = "replica-flush";

    public static async Task RunAsync(string[] options)
    {
        var series = options is [var s, ..] ? int.Parse(s, CultureInfo.InvariantCulture) : 64;
        var seconds = options is [_, var n, ..] ? int.Parse(n, CultureInfo.InvariantCulture) : 120;
        var database = await PostgresServer.CreateDatabaseAsync("replicaflush");
        try
        {
            await using (var db = new PostgresModelOpsDbContext(new DbContextOptionsBuilder<PostgresModelOpsDbContext>().UseNpgsql(database).Options))
            {
                await db.Database.MigrateAsync();
            }

            var clock = new ManualClock(DateTimeOffset.UtcNow);
            var store = new ServingMetricsStore(Options.Create(new ServingMetricsOptions()), clock, new Random(5));
            var publisher = new ReplicaMetricsPublisher(
                store, new ReplicaIdentity("bench", Clustered: true), Options.Create(new DatabaseOptions { Provider = DatabaseOptions.Postgres, ConnectionString = database }),
                new LocalRoutingOverride(), clock, NullLogger<ReplicaMetricsPublisher>.Instance);
            await publisher.FlushAsync(CancellationToken.None); // opens the pooled connection, first watermark
            var backend = await BackendPidAsync(database);

            var walls = new List<double>(seconds);
            var (rows, ownCpu, backendCpu) = (0L, TimeSpan.Zero, 0L);
            for (var second = 0; second < seconds; second++)
            {
                Serve(store, series);
                clock.Advance(TimeSpan.FromSeconds(1));
                var (cpuBefore, ticksBefore) = (Process.GetCurrentProcess().TotalProcessorTime, BackendTicks(backend));
                var wall = Stopwatch.StartNew();
                rows += await publisher.FlushAsync(CancellationToken.None);
                walls.Add(wall.Elapsed.TotalMilliseconds);
                ownCpu += Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                backendCpu += BackendTicks(backend) - ticksBefore;
            }

            walls.Sort();
            var tick = 1000.0 / 100; // USER_HZ
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"replica flush: {series} series, {seconds} flushes, {rows} rows ({rows / (double)seconds:F0} rows/s, one per series and second); " +
                $"flush wall p50 {walls[walls.Count / 2]:F1} ms, p99 {walls[(int)(walls.Count * 0.99)]:F1} ms; " +
                $"CPU per flush: app {ownCpu.TotalMilliseconds / seconds:F2} ms, PostgreSQL backend {backendCpu * tick / seconds:F2} ms (10 ms ticks, pid {backend})"));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    private static void Serve(ServingMetricsStore store, int series)
    {
        for (var i = 0; i < series; i++)
        {
            for (var r = 0; r < 100; r++)
            {
                store.RecordRequest($"model-{i / 4}", 2 + (i % 2), i % 4 < 2 ? Arm.Baseline : Arm.Candidate, TimeSpan.FromMilliseconds(3 + (r % 17)), RequestStatus.Ok);
            }

            store.RecordOutcome($"model-{i / 4}", 2 + (i % 2), i % 4 < 2 ? Arm.Baseline : Arm.Candidate, 1.0);
        }
    }

    private static async Task<int> BackendPidAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var pid = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        return (int)(await pid.ExecuteScalarAsync())!; // pg_backend_pid() is never null
    }

    /// <summary>utime + stime of a process in clock ticks; 0 when it is not readable here (a remote server).</summary>
    private static long BackendTicks(int pid)
    {
        var path = $"/proc/{pid}/stat";
        if (!File.Exists(path))
        {
            return 0;
        }

        var fields = File.ReadAllText(path).Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
