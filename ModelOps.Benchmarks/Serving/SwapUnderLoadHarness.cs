using System.Diagnostics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving;
using ModelOps.Inference.Serving.Requests;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Benchmarks.Serving;

/// <summary>
/// Serving benchmark 3 (alone: <c>serving-swap</c>). Predict load on the real in-process app
/// (<see cref="Workers"/> threads through <see cref="ModelServer.PredictAsync"/>) while
/// <see cref="TrafficRouter.ApplyAsync"/> flips ctr-ranker between v2 and v3 1,000 times (each
/// flip a new generation, persisted, audited and published as the API would). Counts failed
/// requests (must be 0) and compares p99 during the flips with the window of the same length
/// right after them, same load, no flips. In-process rather than HTTP: a failure or a stall
/// then belongs to the swap, not to sockets. The default retire grace (60 s) applies.
/// <para>
/// The load is paced, not closed-loop: unpaced in-process callers reach ~150k req/s, which
/// starves the flipper of CPU on two cores and keeps the inference log writer (~40k rows/s)
/// permanently behind and holding SQLite's write lock, so p99 and flip time would measure
/// that overload rather than swapping. Each worker wakes every millisecond and sends what its
/// share of the rate makes due; a latency is one call's own time (send to answer).
/// </para>
/// </summary>
public static class SwapUnderLoadHarness
{
    private const string Name = "3 swap under load";
    private const int Warmup = 0;
    private const int Flipping = 1;
    private const int Steady = 2;
    private const int Stopped = 3;
    private const int Workers = 4;

    public static async Task RunAsync(ServingFigures figures, int flips = 1_000, int requestsPerSecond = 20_000)
    {
        await using var app = await ServingApp.StartAsync();
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

        Console.WriteLine($"[{Name}] {Workers} predict worker threads paced to {requestsPerSecond:N0} req/s in all on ctr-ranker; {flips} flips v2<->v3 " +
            "through TrafficRouter.ApplyAsync, then the same length of the same load without flips");

        var phase = new PhaseSwitch();
        var results = Enumerable.Range(0, Workers).Select(_ => new PhaseResults()).ToArray();
        var loops = results.Select((result, w) => WorkerThreads.StartAsync(
            () => PacedLoopAsync(server, workload, result, w, (double)requestsPerSecond / Workers, phase))).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(1));
        var requests = app.Get<RequestRouter>();
        var fallbacksBefore = requests.Fallbacks;
        phase.Set(Flipping);
        var (flipWindow, flipTimes, flipErrors) = await FlipAsync(router, flips);
        var fallbacksDuringFlips = requests.Fallbacks - fallbacksBefore;
        phase.Set(Steady);
        await Task.Delay(flipWindow);
        phase.Set(Stopped);
        await Task.WhenAll(loops);

        var during = PhaseResults.Summarise(results, Flipping);
        var after = PhaseResults.Summarise(results, Steady);
        var applied = LatencySummary.FromTicks([flipTimes]);
        Console.WriteLine($"  flips: {flips} in {flipWindow.TotalSeconds:F1} s ({flips / flipWindow.TotalSeconds:F0} flips/s), {flipErrors} refused; ApplyAsync {applied}");
        Console.WriteLine($"  during flips:  {during.Requests:N0} requests ({during.Requests / flipWindow.TotalSeconds:N0}/s), failed {during.Failed}{during.Describe()}, " +
            $"served by v2 {during.ByVersion(2):N0} / v3 {during.ByVersion(3):N0}, fallbacks {fallbacksDuringFlips}; {during.Latency}");
        Console.WriteLine($"  steady after:  {after.Requests:N0} requests ({after.Requests / flipWindow.TotalSeconds:N0}/s), failed {after.Failed}{after.Describe()}, " +
            $"served by v2 {after.ByVersion(2):N0} / v3 {after.ByVersion(3):N0}; {after.Latency}");

        figures.Add(Name, "flips applied", flips - flipErrors, "flips", "F0");
        figures.Add(Name, "flip window", flipWindow.TotalSeconds, "s", "F1");
        figures.Add(Name, "ApplyAsync p50", applied.P50Ms, "ms", "F1");
        figures.Add(Name, "ApplyAsync p99", applied.P99Ms, "ms", "F1");
        figures.Add(Name, "failed requests during flips (must be 0)", during.Failed, "requests", "F0");
        figures.Add(Name, "requests during flips", during.Requests / flipWindow.TotalSeconds, "req/s", "N0");
        figures.Add(Name, "requests without flips", after.Requests / flipWindow.TotalSeconds, "req/s", "N0");
        figures.Add(Name, "p99 during flips", during.Latency.P99Ms * 1000, "µs", "F0");
        figures.Add(Name, "p99 without flips (same length)", after.Latency.P99Ms * 1000, "µs", "F0");
        figures.Add(Name, "max during flips", during.Latency.MaxMs, "ms", "F1");
        figures.Add(Name, "max without flips", after.Latency.MaxMs, "ms", "F1");
    }

    /// <summary>
    /// Wakes every millisecond and sends what <paramref name="perSecond"/> makes due, recording
    /// each call under the phase it started in. Runs on a dedicated thread (WorkerThreads), so
    /// its sleep blocks no pool thread.
    /// </summary>
    private static async Task<bool> PacedLoopAsync(ModelServer server, ServingWorkload workload, PhaseResults result, int worker, double perSecond, PhaseSwitch phase)
    {
        // At most 100 ms of backlog: after a stall the worker catches up, but not in one unbounded burst.
        var backlog = (long)(perSecond / 10);
        var started = Stopwatch.GetTimestamp();
        var sent = 0L;
        for (var i = worker * 1_009; phase.Value != Stopped;)
        {
            var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * perSecond);
            if (sent >= due)
            {
                Thread.Sleep(1);
                continue;
            }

            for (sent = Math.Max(sent, due - backlog); sent < due; sent++, i++)
            {
                var current = phase.Value;
                var at = Stopwatch.GetTimestamp();
                var answer = await server.PredictAsync(new PredictRequest(ServingApp.Model, workload.Features[i & workload.Mask], null, null), CancellationToken.None);
                result.Record(current, Stopwatch.GetTimestamp() - at, answer.IsSuccess ? answer.Value.Version : -1, answer.IsSuccess ? null : answer.Error.Detail);
            }
        }

        return true;
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

    private sealed class PhaseSwitch
    {
        private int _value = Warmup;

        public int Value => Volatile.Read(ref _value);

        public void Set(int value) => Volatile.Write(ref _value, value);
    }
}
