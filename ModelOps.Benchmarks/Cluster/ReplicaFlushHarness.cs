using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelOps.Core.Cluster;
using ModelOps.Core.Persistence;
using ModelOps.Core.Persistence.Postgres;
using ModelOps.Core.Registry.Encoding;
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
        // --features: each request also carries a served score and three numeric features on fixed bins
        // (what null_rate, drift_psi and score_psi read), as a model with a feature encoder serves.
        var features = options.Contains("--features");
        var database = await PostgresServer.CreateDatabaseAsync("replicaflush");
        try
        {
            await using (var db = new PostgresModelOpsDbContext(new DbContextOptionsBuilder<PostgresModelOpsDbContext>().UseNpgsql(database).Options))
            {
                await db.Database.MigrateAsync();
            }

            // Half past a whole second, so each flush takes exactly the second just served (Settle is 250 ms).
            var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AddMilliseconds(500));
            var store = new ServingMetricsStore(Options.Create(new ServingMetricsOptions()), clock, new Random(5));
            for (var m = 0; m < series / 4 + 1; m++)
            {
                foreach (var feature in Features)
                {
                    store.RegisterFeatureBins($"model-{m}", feature, [double.NegativeInfinity, 0, 10, 20, 30, 40, 50, 60, 70, 80, 90, double.PositiveInfinity]);
                }
            }
            var publisher = new ReplicaMetricsPublisher(
                store, new ReplicaIdentity("bench", Clustered: true), Options.Create(new DatabaseOptions { Provider = DatabaseOptions.Postgres, ConnectionString = database }),
                new LocalRoutingOverride(), clock, NullLogger<ReplicaMetricsPublisher>.Instance);
            await publisher.FlushAsync(CancellationToken.None); // opens the pooled connection, first watermark
            var backend = await BackendPidAsync(database);

            var walls = new List<double>(seconds);
            var (rows, ownCpu, backendCpu) = (0L, TimeSpan.Zero, 0L);
            for (var second = 0; second < seconds; second++)
            {
                Serve(store, series, features);
                clock.Advance(TimeSpan.FromSeconds(1));
                var (cpuBefore, ticksBefore) = (Process.GetCurrentProcess().TotalProcessorTime, ProcessStat.CpuTicks(backend) ?? 0);
                var wall = Stopwatch.StartNew();
                rows += await publisher.FlushAsync(CancellationToken.None);
                walls.Add(wall.Elapsed.TotalMilliseconds);
                ownCpu += Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                backendCpu += (ProcessStat.CpuTicks(backend) ?? 0) - ticksBefore; // 0 for a server not on this machine
            }

            walls.Sort();
            var tick = 1000.0 / 100; // USER_HZ
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"replica flush: {series} series{(features ? " with scores and 3 features" : "")}, {seconds} flushes, {rows} rows ({rows / (double)seconds:F0} rows/s, one per series and second); " +
                $"flush wall p50 {walls[walls.Count / 2]:F1} ms, p99 {walls[(int)(walls.Count * 0.99)]:F1} ms; " +
                $"CPU per flush: app {ownCpu.TotalMilliseconds / seconds:F2} ms, PostgreSQL backend {backendCpu * tick / seconds:F2} ms (10 ms ticks, pid {backend})"));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }

    private static readonly string[] Features = ["hour", "tenure", "popularity"];

    private static void Serve(ServingMetricsStore store, int series, bool features)
    {
        for (var i = 0; i < series; i++)
        {
            for (var r = 0; r < 100; r++)
            {
                var (model, version, arm, latency) = ($"model-{i / 4}", 2 + (i % 2), i % 4 < 2 ? Arm.Baseline : Arm.Candidate, TimeSpan.FromMilliseconds(3 + (r % 17)));
                if (features)
                {
                    var values = Features.ToDictionary(f => f, f => r % 10 == 0 ? FeatureValue.Null : FeatureValue.FromNumber((r * 7 + f.Length) % 100));
                    store.RecordServed(model, version, arm, latency, RequestStatus.Ok, values, score: r / 100.0);
                }
                else
                {
                    store.RecordRequest(model, version, arm, latency, RequestStatus.Ok);
                }
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

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
