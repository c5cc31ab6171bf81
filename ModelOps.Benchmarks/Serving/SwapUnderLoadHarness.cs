using System.Diagnostics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Benchmarks.Serving;

/// <summary>
/// Serving benchmark 3 (alone: <c>serving-swap</c>). Predict load on the real in-process app
/// (<see cref="PacedPredictLoad"/>) while <see cref="TrafficRouter.ApplyAsync"/> flips ctr-ranker
/// between v2 and v3 1,000 times (each flip a new generation, persisted, audited and published as
/// the API would). Counts failed requests (must be 0) and compares p99 during the flips with the
/// window of the same length right after them, same load, no flips. In-process rather than HTTP:
/// a failure or a stall then belongs to the swap, not to sockets. The default retire grace (60 s)
/// applies. <c>-- rollback-restore</c> runs the same measurement with the inference log in the
/// main database and in its own (<see cref="MeasureAsync"/>).
/// </summary>
public static class SwapUnderLoadHarness
{
    private const string Name = "3 swap under load";

    public static async Task RunAsync(ServingFigures figures, int flips = 1_000, int requestsPerSecond = 20_000)
    {
        await using var app = await ServingApp.StartAsync();
        Console.WriteLine($"[{Name}] {PacedPredictLoad.Workers} predict worker threads paced to {requestsPerSecond:N0} req/s in all on ctr-ranker; {flips} flips v2<->v3 " +
            "through TrafficRouter.ApplyAsync, then the same length of the same load without flips");
        var measured = await MeasureAsync(app, flips, requestsPerSecond);
        var (during, after, applied, window) = (measured.During, measured.After, measured.Applied, measured.Window);
        Console.WriteLine($"  flips: {flips} in {window.TotalSeconds:F1} s ({flips / window.TotalSeconds:F0} flips/s), {measured.Refused} refused; ApplyAsync {applied}");
        Console.WriteLine($"  during flips:  {during.Requests:N0} requests ({during.Requests / window.TotalSeconds:N0}/s), failed {during.Failed}{during.Describe()}, " +
            $"served by v2 {during.ByVersion(2):N0} / v3 {during.ByVersion(3):N0}, fallbacks {measured.Fallbacks}; {during.Latency}");
        Console.WriteLine($"  steady after:  {after.Requests:N0} requests ({after.Requests / window.TotalSeconds:N0}/s), failed {after.Failed}{after.Describe()}, " +
            $"served by v2 {after.ByVersion(2):N0} / v3 {after.ByVersion(3):N0}; {after.Latency}");

        figures.Add(Name, "flips applied", flips - measured.Refused, "flips", "F0");
        figures.Add(Name, "flip window", window.TotalSeconds, "s", "F1");
        figures.Add(Name, "ApplyAsync p50", applied.P50Ms, "ms", "F1");
        figures.Add(Name, "ApplyAsync p99", applied.P99Ms, "ms", "F1");
        figures.Add(Name, "failed requests during flips (must be 0)", during.Failed, "requests", "F0");
        figures.Add(Name, "requests during flips", during.Requests / window.TotalSeconds, "req/s", "N0");
        figures.Add(Name, "requests without flips", after.Requests / window.TotalSeconds, "req/s", "N0");
        figures.Add(Name, "p99 during flips", during.Latency.P99Ms * 1000, "µs", "F0");
        figures.Add(Name, "p99 without flips (same length)", after.Latency.P99Ms * 1000, "µs", "F0");
        figures.Add(Name, "max during flips", during.Latency.MaxMs, "ms", "F1");
        figures.Add(Name, "max without flips", after.Latency.MaxMs, "ms", "F1");
    }

    /// <summary>
    /// Flips v2↔v3 <paramref name="flips"/> times (an even count ends where it started) under
    /// paced load, then holds the same load without flips for as long again.
    /// </summary>
    public static async Task<SwapMeasurement> MeasureAsync(ServingApp app, int flips, int requestsPerSecond)
    {
        ArgumentNullException.ThrowIfNull(app);
        var server = app.Get<ModelServer>();
        var router = app.Get<TrafficRouter>();
        var pool = app.Get<SessionPool>();
        var servable = pool.FindHealthy(ServingApp.Model, 2)!.Version; // StartAsync returns once v2 is warm
        var workload = ServingWorkload.Draw(servable.Encoder!); // v2 and v3 share ctr-features@2
        // Blue-green: the target is warm before traffic moves, so the flips measure swapping, not a first load.
        var warm = await pool.EnsureWarmAsync(ServingApp.Model, 3, CancellationToken.None);
        if (!warm.IsSuccess)
        {
            throw new InvalidOperationException($"v3 did not load: {warm.Error.Detail}");
        }

        var load = PacedPredictLoad.Start(server, workload, requestsPerSecond);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var requests = app.Get<RequestRouter>();
        var fallbacksBefore = requests.Fallbacks;
        load.Set(PacedPredictLoad.Measured);
        var (window, times, refused) = await FlipAsync(router, flips);
        var fallbacks = requests.Fallbacks - fallbacksBefore;
        load.Set(PacedPredictLoad.After);
        await Task.Delay(window);
        await load.StopAsync();
        return new SwapMeasurement(
            flips, window, LatencySummary.FromTicks([times]), refused,
            load.Summarise(PacedPredictLoad.Measured), load.Summarise(PacedPredictLoad.After), fallbacks, times);
    }

    private static async Task<(TimeSpan Window, List<long> Times, int Errors)> FlipAsync(TrafficRouter router, int flips)
    {
        var generation = router.Current(ServingApp.Model)?.Generation ?? 0;
        var times = new List<long>(flips);
        var errors = 0;
        var watch = Stopwatch.StartNew();
        for (var flip = 1; flip <= flips; flip++)
        {
            // Odd flips move to v3, even ones back to v2, so an even count ends where it started.
            var table = RoutingTable.Single(ServingApp.Model, flip % 2 == 1 ? 3 : 2, ++generation);
            var started = Stopwatch.GetTimestamp();
            var applied = table.IsSuccess
                ? await router.ApplyAsync(table.Value, "harness", $"swap benchmark flip {flip}", CancellationToken.None)
                : table.Error;
            times.Add(Stopwatch.GetTimestamp() - started);
            if (!applied.IsSuccess && ++errors <= 5)
            {
                Console.WriteLine($"  flip {flip} refused: {applied.Error.Detail}");
            }
        }

        return (watch.Elapsed, times, errors);
    }
}
