using System.Diagnostics;
using ModelOps.Inference.Serving;
using ModelOps.Inference.Serving.Log;
using ModelOps.Inference.Serving.Requests;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Benchmarks.Serving;

/// <summary>
/// Serving benchmark 1 (run alone: <c>dotnet run -c Release --project ModelOps.Benchmarks --
/// serving-inprocess</c>). The full <see cref="ModelServer.PredictAsync"/> of the real app
/// (routing snapshot, lease, encode, ONNX run, calibration, metrics, log enqueue) against a bare
/// <c>InferenceSession.Run</c> of the same ctr-ranker v2 artifact on the same pre-drawn rows,
/// on 1 and 2 threads; then the bytes one predict allocates. A measured harness rather than
/// BenchmarkDotNet: the full path needs the whole app (and its log writer thread) running, and
/// the run must stay short on two cores; <see cref="ServingPathBenchmarks"/> is the BDN view.
/// </summary>
public static class InProcessServingHarness
{
    private const string Name = "1 in-process";
    private const int AllocationCalls = 50_000;
    private const int Rounds = 3;

    /// <summary><paramref name="seconds"/> of measurement per path and thread count, split into interleaved rounds.</summary>
    public static async Task RunAsync(ServingFigures figures, double seconds = 4.5)
    {
        await using var app = await ServingApp.StartAsync();
        var server = app.Get<ModelServer>();
        // StartAsync returns only once v2 is warm and healthy.
        var servable = app.Get<SessionPool>().FindHealthy(ServingApp.Model, 2)!.Version;
        var workload = ServingWorkload.Draw(servable.Encoder!); // the demo's v2 is paired with ctr-features@2
        using var raw = new RawOnnxSession(servable.ArtifactPath, servable.Inputs[0].Name, servable.Outputs[0].Name, workload.Width, 1);
        var writer = app.Get<InferenceLogWriter>();
        Console.WriteLine($"[{Name}] ctr-ranker v2 ({servable.EncoderRef}, input width {workload.Width}), {workload.Features.Length} pre-drawn ClickWorld impressions; " +
            $"{seconds:F1} s per path and thread count in {Rounds} interleaved rounds, each after 0.5 s warm-up (plus 1.5 s per path once); .NET {Environment.Version}, {Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}");

        // Tiered JIT and dynamic PGO settle in the first seconds; without this the first round of each path reads low.
        await MeasureRawAsync(1, TimeSpan.FromSeconds(1), raw, workload);
        var failures = (await MeasureFullAsync(1, TimeSpan.FromSeconds(1), server, workload)).Failures;
        var rawOps = new double[3];
        var fullOps = new double[3];
        foreach (var threads in new[] { 1, 2 })
        {
            // Interleaved rounds, median of each: other load on the machine drifts, and both paths should see the same drift.
            var rawRounds = new List<double>();
            var fullRounds = new List<double>();
            for (var round = 0; round < Rounds; round++)
            {
                await DrainAsync(writer);
                rawRounds.Add(await MeasureRawAsync(threads, TimeSpan.FromSeconds(seconds / Rounds), raw, workload));
                var (ops, failed) = await MeasureFullAsync(threads, TimeSpan.FromSeconds(seconds / Rounds), server, workload);
                fullRounds.Add(ops);
                failures += failed;
            }

            rawOps[threads] = Median(rawRounds);
            fullOps[threads] = Median(fullRounds);
            Console.WriteLine($"  {threads} thread(s): raw InferenceSession.Run {rawOps[threads]:N0} ops/s ({1e6 / rawOps[threads] * threads:F2} µs/op per thread); " +
                $"full ModelServer.PredictAsync {fullOps[threads]:N0} ops/s ({1e6 / fullOps[threads] * threads:F2} µs/op per thread); ratio full/raw {fullOps[threads] / rawOps[threads]:F2} " +
                $"(median of {Rounds} interleaved rounds; raw rounds {string.Join(" / ", rawRounds.Select(r => r.ToString("N0")))}, full rounds {string.Join(" / ", fullRounds.Select(r => r.ToString("N0")))})");
        }

        var stats = writer.Stats;
        Console.WriteLine($"  predict failures {failures}; inference log during the runs: enqueued {stats.Enqueued:N0}, persisted {stats.Persisted:N0}, " +
            $"dropped {stats.Dropped:N0} (queue full: in-process rates outrun the SQLite writer; drops cost the request nothing)");

        var (perRequest, processWide, rawBytes) = await MeasureAllocationsAsync(server, raw, workload, writer);
        Console.WriteLine($"  allocated per request: full path {perRequest:F0} B on the request thread; {processWide:F0} B process-wide once the log writer " +
            $"has persisted those rows; raw Run {rawBytes:F1} B");

        figures.Add(Name, "raw InferenceSession.Run, 1 thread", rawOps[1], "ops/s", "N0");
        figures.Add(Name, "full PredictAsync, 1 thread", fullOps[1], "ops/s", "N0");
        figures.Add(Name, "ratio full/raw, 1 thread (target >= 0.8)", fullOps[1] / rawOps[1], "", "F2");
        figures.Add(Name, "raw InferenceSession.Run, 2 threads", rawOps[2], "ops/s", "N0");
        figures.Add(Name, "full PredictAsync, 2 threads", fullOps[2], "ops/s", "N0");
        figures.Add(Name, "ratio full/raw, 2 threads", fullOps[2] / rawOps[2], "", "F2");
        figures.Add(Name, "allocated per predict (request thread)", perRequest, "B/request", "F0");
        figures.Add(Name, "allocated per predict (process, incl. log persist)", processWide, "B/request", "F0");
        figures.Add(Name, "predict failures", failures, "requests", "F0");
    }

    private static async Task<double> MeasureRawAsync(int threads, TimeSpan duration, RawOnnxSession raw, ServingWorkload workload)
    {
        var slots = Enumerable.Range(0, threads).Select(_ => raw.CreateSlot()).ToArray();
        try
        {
            return await MeasureAsync(threads, duration, w => i =>
            {
                slots[w].Run(workload.Encoded[i & workload.Mask]);
                return ValueTask.FromResult(true);
            });
        }
        finally
        {
            foreach (var slot in slots)
            {
                slot.Dispose();
            }
        }
    }

    private static async Task<(double OpsPerSecond, long Failures)> MeasureFullAsync(int threads, TimeSpan duration, ModelServer server, ServingWorkload workload)
    {
        var failures = 0L;
        var ops = await MeasureAsync(threads, duration, _ => async i =>
        {
            var result = await server.PredictAsync(new PredictRequest(ServingApp.Model, workload.Features[i & workload.Mask], null, null), CancellationToken.None);
            if (!result.IsSuccess)
            {
                Interlocked.Increment(ref failures);
            }

            return result.IsSuccess;
        });
        return (ops, failures);
    }

    /// <summary>Ops/s summed over <paramref name="threads"/> workers, each running its own loop; a 0.5 s warm-up is discarded.</summary>
    private static async Task<double> MeasureAsync(int threads, TimeSpan duration, Func<int, Func<int, ValueTask<bool>>> workerFor)
    {
        var workers = Enumerable.Range(0, threads).Select(workerFor).ToArray();
        await RunLoopsAsync(workers, TimeSpan.FromSeconds(0.5));
        var (ops, elapsed) = await RunLoopsAsync(workers, duration);
        return ops / elapsed.TotalSeconds;
    }

    private static async Task<(long Ops, TimeSpan Elapsed)> RunLoopsAsync(Func<int, ValueTask<bool>>[] workers, TimeSpan duration)
    {
        var watch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(workers.Select((op, w) => WorkerThreads.StartAsync(async () =>
        {
            var n = 0L;
            var offset = w * 1_009;
            while (watch.Elapsed < duration)
            {
                for (var k = 0; k < 256; k++)
                {
                    await op(offset + (int)n++);
                }
            }

            return n;
        })));
        return (counts.Sum(), watch.Elapsed);
    }

    /// <summary>
    /// Bytes per call on the calling thread (the path completes synchronously, so it never
    /// leaves the thread), and process-wide once the log writer has persisted the same rows.
    /// </summary>
    private static async Task<(double PerRequest, double ProcessWide, double Raw)> MeasureAllocationsAsync(
        ModelServer server, RawOnnxSession raw, ServingWorkload workload, InferenceLogWriter writer)
    {
        await DrainAsync(writer);
        return await WorkerThreads.StartAsync(async () =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                await server.PredictAsync(new PredictRequest(ServingApp.Model, workload.Features[i & workload.Mask], null, null), CancellationToken.None);
            }

            await DrainAsync(writer);
            var processBefore = GC.GetTotalAllocatedBytes(precise: true);
            var thread = Environment.CurrentManagedThreadId;
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < AllocationCalls; i++)
            {
                await server.PredictAsync(new PredictRequest(ServingApp.Model, workload.Features[i & workload.Mask], null, null), CancellationToken.None);
            }

            var after = GC.GetAllocatedBytesForCurrentThread();
            if (Environment.CurrentManagedThreadId != thread)
            {
                throw new InvalidOperationException("PredictAsync suspended, so the per-thread allocation count is incomplete.");
            }

            await DrainAsync(writer);
            var processAfter = GC.GetTotalAllocatedBytes(precise: true);

            using var slot = raw.CreateSlot();
            slot.Run(workload.Encoded[0]);
            var rawBefore = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < AllocationCalls; i++)
            {
                slot.Run(workload.Encoded[i & workload.Mask]);
            }

            var rawAfter = GC.GetAllocatedBytesForCurrentThread();
            return ((after - before) / (double)AllocationCalls, (processAfter - processBefore) / (double)AllocationCalls, (rawAfter - rawBefore) / (double)AllocationCalls);
        });
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>Waits (up to 60 s) until every enqueued log item is persisted or dropped, so no batch is in flight.</summary>
    private static async Task DrainAsync(InferenceLogWriter writer)
    {
        for (var waited = 0; waited < 6_000; waited++)
        {
            var stats = writer.Stats;
            if (stats.Persisted + stats.FeedbackPersisted + stats.Dropped >= stats.Enqueued)
            {
                return;
            }

            await Task.Delay(10);
        }
    }
}
