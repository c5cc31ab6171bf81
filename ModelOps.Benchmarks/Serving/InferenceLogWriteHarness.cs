using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ModelOps.Core.Serving.Log;
using ModelOps.Inference.Serving.Log;
using Npgsql;

namespace ModelOps.Benchmarks.Serving;

/// <summary>
/// Inference log rows/s on SQLite vs PostgreSQL, same records, same run (<c>dotnet run -c Release
/// --project ModelOps.Benchmarks -- inference-log-write [--connection CS] [--rows N] [--rounds R]</c>).
/// PostgreSQL is <c>--connection</c>, else <c>MODELOPS_TEST_POSTGRES</c>, else a throwaway cluster
/// started here with tools/pg-throwaway.sh. Each round, per provider: the batch insert alone (one
/// thread, batches of the writer's default size) and the writer end to end (4 producers, journal
/// off, nothing dropped). PostgreSQL also runs the fastest INSERT path as the alternative to COPY
/// (an <see cref="NpgsqlBatch"/> of prepared single-row INSERTs per batch, one round trip).
/// </summary>
public static class InferenceLogWriteHarness
{
    public const string Command = "inference-log-write";

    private const int BatchSize = 512;

    public static async Task RunAsync(string[] options)
    {
        var rows = Option(options, "--rows") is { } n ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 200_000;
        var rounds = Option(options, "--rounds") is { } r ? int.Parse(r, System.Globalization.CultureInfo.InvariantCulture) : 2;
        await using var server = await PostgresBench.LocateAsync(Option(options, "--connection"));
        var workload = InferenceLogHarness.Workload(rows);
        Console.WriteLine($"[{Command}] {rows} records x {rounds} rounds; batch {BatchSize}; .NET {Environment.Version}, {Environment.ProcessorCount} cores; " +
            $"PostgreSQL {server.Description}; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        var results = new Dictionary<string, List<double>>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var provider in new[] { "Sqlite", "Postgres" })
            {
                Add(results, $"{provider} batch insert", await MeasureInsertAsync(server, provider, workload));
                Add(results, $"{provider} writer end to end", await MeasureWriterAsync(server, provider, workload));
            }

            Add(results, "Postgres batched INSERTs (alternative)", await MeasureBatchedInsertsAsync(server, workload));
        }

        foreach (var (name, rates) in results)
        {
            Console.WriteLine($"  {name,-40} {rates.Average(),10:N0} rows/s  (rounds: {string.Join(", ", rates.Select(x => x.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))})");
        }

        Console.WriteLine($"  ratio PostgreSQL/SQLite: batch insert {results["Postgres batch insert"].Average() / results["Sqlite batch insert"].Average():F2}x, " +
            $"writer end to end {results["Postgres writer end to end"].Average() / results["Sqlite writer end to end"].Average():F2}x; " +
            $"COPY/batched INSERTs on PostgreSQL {results["Postgres batch insert"].Average() / results["Postgres batched INSERTs (alternative)"].Average():F2}x");
    }

    private static async Task<double> MeasureInsertAsync(PostgresBench server, string provider, InferenceRecord[] workload)
    {
        await using var target = await server.LogAsync(provider);
        var database = target.Services.GetRequiredService<InferenceLogDatabase>();
        using var rows = database.CreateRows();
        var items = workload.Select(record => new LogItem(record, null)).ToArray();
        var watch = Stopwatch.StartNew();
        for (var start = 0; start < items.Length; start += BatchSize)
        {
            await rows.InsertAsync(items[start..Math.Min(items.Length, start + BatchSize)], CancellationToken.None);
        }

        var rate = items.Length / watch.Elapsed.TotalSeconds;
        await target.ProveAsync(items.Length);
        return rate;
    }

    private static async Task<double> MeasureWriterAsync(PostgresBench server, string provider, InferenceRecord[] workload)
    {
        await using var target = await server.LogAsync(provider);
        var writer = target.Services.GetRequiredService<InferenceLogWriter>();
        await writer.StartAsync(CancellationToken.None);
        var watch = Stopwatch.StartNew();
        var slice = workload.Length / 4;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(p => Task.Run(() =>
        {
            for (var i = p * slice; i < (p == 3 ? workload.Length : (p + 1) * slice); i++)
            {
                writer.Enqueue(workload[i]);
            }
        })));
        while (writer.Stats.Persisted + writer.Stats.Dropped < workload.Length)
        {
            await Task.Delay(1);
        }

        var rate = writer.Stats.Persisted / watch.Elapsed.TotalSeconds;
        await writer.StopAsync(CancellationToken.None);
        if (writer.Stats.Dropped > 0)
        {
            throw new InvalidOperationException($"{provider}: {writer.Stats.Dropped} records dropped; the capacity is above the run's size, so this is a failure.");
        }

        await target.ProveAsync(workload.Length);
        return rate;
    }

    /// <summary>The same rows as the SQLite path sends them, one prepared INSERT each, pipelined in one NpgsqlBatch per batch.</summary>
    private static async Task<double> MeasureBatchedInsertsAsync(PostgresBench server, InferenceRecord[] workload)
    {
        await using var target = await server.LogAsync("Postgres");
        var database = (PostgresInferenceLogDatabase)target.Services.GetRequiredService<InferenceLogDatabase>();
        using var columns = new LogColumns();
        var watch = Stopwatch.StartNew();
        for (var start = 0; start < workload.Length; start += BatchSize)
        {
            await using var connection = await database.OpenNpgsqlAsync(CancellationToken.None);
            await using var transaction = await connection.BeginTransactionAsync();
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var record in workload.AsSpan(start, Math.Min(BatchSize, workload.Length - start)))
            {
                batch.BatchCommands.Add(PostgresBench.Insert(record, columns));
            }

            await batch.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        var rate = workload.Length / watch.Elapsed.TotalSeconds;
        await target.ProveAsync(workload.Length);
        return rate;
    }

    private static void Add(Dictionary<string, List<double>> results, string name, double rate)
    {
        if (!results.TryGetValue(name, out var list))
        {
            results[name] = list = [];
        }

        list.Add(rate);
        Console.WriteLine($"  {name}: {rate:N0} rows/s");
    }

    private static string? Option(string[] options, string name) =>
        Array.IndexOf(options, name) is var i and >= 0 && i + 1 < options.Length ? options[i + 1] : null;
}
