using Microsoft.Data.Sqlite;
using ModelOps.Benchmarks.Serving;
using ModelOps.Inference.Serving.Log;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// Section 1 of <c>-- rollback-restore</c>: the <c>serving-swap</c> measurement (routing flips
/// through <c>TrafficRouter.ApplyAsync</c> under paced predict load) with the inference log in its
/// own file, and with <c>ConnectionStrings:InferenceLog</c> pointed at the main database — the old
/// single-file layout, where every routing change waits for the write lock behind the log
/// writer's batches. Each layout gets its own fresh app, in alternating order over the rounds, so
/// the ratio compares the two under the same machine load.
/// </summary>
public static class LogLayoutSwap
{
    private const string Name = "1 swap: log layout";

    public static async Task RunAsync(RollbackRestoreOptions options, ServingFigures figures)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(figures);
        var rounds = Math.Max(1, options.SwapRounds);
        var flips = Math.Max(2, options.Flips / rounds / 2 * 2);
        Console.WriteLine($"[{Name}] {rounds} round(s) x {flips} flips v2<->v3 per layout under {options.RequestsPerSecond:N0} req/s paced predict load; " +
            "each layout a fresh in-process app, order alternating");
        var runs = new Dictionary<LogLayout, List<SwapMeasurement>> { [LogLayout.OwnFile] = [], [LogLayout.MainDatabase] = [] };
        for (var round = 0; round < rounds; round++)
        {
            foreach (var layout in round % 2 == 0 ? new[] { LogLayout.MainDatabase, LogLayout.OwnFile } : [LogLayout.OwnFile, LogLayout.MainDatabase])
            {
                await using var app = await ServingApp.StartAsync(layout.Settings);
                var measured = await SwapUnderLoadHarness.MeasureAsync(app, flips, options.RequestsPerSecond);
                var logged = app.Get<InferenceLogWriter>().Stats;
                var file = layout.LogFile(app.DataDirectory);
                Console.WriteLine($"  round {round + 1}, {layout.Label}: ApplyAsync {measured.Applied}; predict p99 {measured.During.Latency.P99Ms:F2} ms, " +
                    $"failed {measured.During.Failed + measured.After.Failed}; log rows persisted {logged.Persisted:N0}, dropped {logged.Dropped:N0}, " +
                    $"{await CountLogRowsAsync(file):N0} of them in {Path.GetFileName(file)}");
                runs[layout].Add(measured);
            }
        }

        var own = Merge(runs[LogLayout.OwnFile]);
        var main = Merge(runs[LogLayout.MainDatabase]);
        foreach (var (layout, merged) in new[] { (LogLayout.MainDatabase.Label, main), (LogLayout.OwnFile.Label, own) })
        {
            figures.Add(Name, $"{layout}: ApplyAsync p50", merged.Applied.P50Ms, "ms", "F1");
            figures.Add(Name, $"{layout}: ApplyAsync p99", merged.Applied.P99Ms, "ms", "F1");
            figures.Add(Name, $"{layout}: ApplyAsync p99.9", merged.Applied.P999Ms, "ms", "F1");
            figures.Add(Name, $"{layout}: ApplyAsync max", merged.Applied.MaxMs, "ms", "F1");
            figures.Add(Name, $"{layout}: predict p99 during flips (worst round)", merged.PredictP99Ms, "ms", "F2");
            figures.Add(Name, $"{layout}: failed requests (must be 0)", merged.Failed, "requests", "F0");
        }

        figures.Add(Name, "ratio ApplyAsync p99 old/own", main.Applied.P99Ms / own.Applied.P99Ms, "x", "F1");
        figures.Add(Name, "ratio ApplyAsync max old/own", main.Applied.MaxMs / own.Applied.MaxMs, "x", "F1");
    }

    /// <summary>Shows the layout is what it claims: the log rows are in this file.</summary>
    public static async Task<long> CountLogRowsAsync(string file)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM InferenceLog";
        return (long)(await command.ExecuteScalarAsync() ?? 0L);
    }

    private static Merged Merge(List<SwapMeasurement> runs)
    {
        return new Merged(
            LatencySummary.FromTicks([[.. runs.SelectMany(r => r.AppliedTicks)]]),
            runs.Count == 0 ? double.NaN : runs.Max(r => r.During.Latency.P99Ms),
            runs.Sum(r => r.During.Failed + r.After.Failed));
    }

    private sealed record Merged(LatencySummary Applied, double PredictP99Ms, long Failed);
}
