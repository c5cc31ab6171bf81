using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelOps.Inference.Serving.Metrics;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Benchmarks.Serving;

/// <summary>
/// Serving benchmark 5 (alone: <c>serving-memory</c>). Does loading and unloading a version
/// leak? Resident set size after 10 load/unload cycles against after 1,000, two ways:
/// <see cref="WarmSession.Load"/> then <see cref="WarmSession.Retire"/> (disposed at once, no
/// lease is held), and through a <see cref="SessionPool"/> with a zero retire grace
/// (EnsureWarmAsync, Want(nothing), RetireExpired), which also reads the version from the
/// registry each time. Each load is followed by one leased run, as serving would do. The
/// servable is ctr-ranker v3 as the real app's registry resolves it; the app's own pool
/// (serving v2) is left alone. RSS is read from /proc/self/status after two full GCs and a
/// short pause; the managed heap is shown beside it to tell native from managed growth.
/// </summary>
public static class SessionMemoryHarness
{
    private const string Name = "5 memory";
    private const int Version = 3;

    /// <summary>Snapshots after <paramref name="baselineCycles"/> and <paramref name="cycles"/>, then after <paramref name="trendCycles"/> to tell a plateau from a steady leak.</summary>
    public static async Task RunAsync(ServingFigures figures, int cycles = 1_000, int baselineCycles = 10, int trendCycles = 5_000)
    {
        int[] checkpoints = [baselineCycles, cycles, trendCycles];
        await using var app = await ServingApp.StartAsync();
        var loader = app.Get<ServableVersionLoader>();
        var loaded = await loader.LoadAsync(ServingApp.Model, Version, CancellationToken.None);
        if (!loaded.IsSuccess)
        {
            throw new InvalidOperationException($"ctr-ranker v{Version} is not servable: {loaded.Error.Detail}");
        }

        var servable = loaded.Value;
        Console.WriteLine($"[{Name}] ctr-ranker v{Version} ({new FileInfo(servable.ArtifactPath).Length} B artifact); RSS after {baselineCycles} vs {cycles} load/unload cycles " +
            $"(and {trendCycles} for the trend); .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");

        var direct = await MeasureAsync(checkpoints, () =>
        {
            var session = WarmSession.Load(servable, DateTimeOffset.UtcNow);
            if (!session.IsSuccess)
            {
                throw new InvalidOperationException(session.Error.Detail);
            }

            RunOnce(session.Value);
            session.Value.Retire();
            return Task.FromResult(session.Value.IsDisposed);
        });
        Report(figures, "WarmSession.Load + Retire", direct);

        using var pool = new SessionPool(loader, new ServingMetricsStore(Options.Create(new ServingMetricsOptions()), TimeProvider.System, new Random(1)), Options.Create(new SessionPoolOptions { RetireGraceSeconds = 0 }), TimeProvider.System, [], NullLogger<SessionPool>.Instance);
        var nothing = new HashSet<int>();
        var pooled = await MeasureAsync(checkpoints, async () =>
        {
            var session = await pool.EnsureWarmAsync(ServingApp.Model, Version, CancellationToken.None);
            if (!session.IsSuccess)
            {
                throw new InvalidOperationException(session.Error.Detail);
            }

            RunOnce(session.Value);
            pool.Want(ServingApp.Model, nothing);
            return pool.RetireExpired() == 1 && session.Value.IsDisposed;
        });
        Report(figures, "SessionPool warm + retire", pooled);
    }

    private static void RunOnce(WarmSession session)
    {
        if (!session.TryAcquire())
        {
            throw new InvalidOperationException("A freshly loaded session refused a lease.");
        }

        try
        {
            Span<float> input = stackalloc float[session.InputWidth];
            input.Fill(0.5f);
            session.RunSingle(input, new float[session.OutputWidth]);
        }
        finally
        {
            session.Release();
        }
    }

    /// <summary>Runs cycles up to the last checkpoint and snapshots memory at each.</summary>
    private static async Task<Measurement> MeasureAsync(int[] checkpoints, Func<Task<bool>> cycle)
    {
        var unloaded = 0;
        var snapshots = new List<Snapshot>();
        var watch = Stopwatch.StartNew();
        var done = 0;
        foreach (var checkpoint in checkpoints)
        {
            for (; done < checkpoint; done++)
            {
                unloaded += await cycle() ? 1 : 0;
            }

            watch.Stop();
            snapshots.Add(await SnapshotAsync());
            watch.Start();
        }

        return new Measurement(checkpoints, snapshots, unloaded, watch.Elapsed);
    }

    private static void Report(ServingFigures figures, string path, Measurement m)
    {
        var (first, target, trend) = (m.Snapshots[0], m.Snapshots[1], m.Snapshots[2]);
        var (firstCycles, targetCycles, trendCycles) = (m.Checkpoints[0], m.Checkpoints[1], m.Checkpoints[2]);
        var growth = target.RssBytes - first.RssBytes;
        var later = trend.RssBytes - target.RssBytes;
        Console.WriteLine($"  {path}: {trendCycles} cycles in {m.Elapsed.TotalSeconds:F1} s ({m.Elapsed.TotalMilliseconds / trendCycles:F2} ms/cycle), {m.Unloaded} disposed");
        Console.WriteLine($"    RSS after {firstCycles}: {Mb(first.RssBytes)} MB, after {targetCycles}: {Mb(target.RssBytes)} MB (growth {Mb(growth)} MB, " +
            $"{growth / 1024.0 / (targetCycles - firstCycles):F2} KB/cycle), after {trendCycles}: {Mb(trend.RssBytes)} MB ({later / 1024.0 / (trendCycles - targetCycles):F2} KB/cycle " +
            $"since {targetCycles}); managed heap {Mb(first.ManagedBytes)} / {Mb(target.ManagedBytes)} / {Mb(trend.ManagedBytes)} MB");
        figures.Add(Name, $"{path}: RSS after {firstCycles} cycles", first.RssBytes / 1048576.0, "MB");
        figures.Add(Name, $"{path}: RSS after {targetCycles} cycles", target.RssBytes / 1048576.0, "MB");
        figures.Add(Name, $"{path}: growth {firstCycles}->{targetCycles}", growth / 1048576.0, "MB");
        figures.Add(Name, $"{path}: growth per cycle {firstCycles}->{targetCycles}", growth / 1024.0 / (targetCycles - firstCycles), "KB/cycle", "F2");
        figures.Add(Name, $"{path}: growth per cycle {targetCycles}->{trendCycles}", later / 1024.0 / (trendCycles - targetCycles), "KB/cycle", "F2");
        figures.Add(Name, $"{path}: sessions disposed", m.Unloaded, $"of {trendCycles}", "F0");
    }

    private static async Task<Snapshot> SnapshotAsync()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        await Task.Delay(500);
        return new Snapshot(ResidentBytes(), GC.GetTotalMemory(forceFullCollection: false));
    }

    /// <summary>VmRSS from /proc/self/status (kB); the working set elsewhere.</summary>
    private static long ResidentBytes()
    {
        const string Status = "/proc/self/status";
        if (File.Exists(Status))
        {
            foreach (var line in File.ReadLines(Status))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }

        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);

    private sealed record Snapshot(long RssBytes, long ManagedBytes);

    private sealed record Measurement(int[] Checkpoints, IReadOnlyList<Snapshot> Snapshots, int Unloaded, TimeSpan Elapsed);
}
