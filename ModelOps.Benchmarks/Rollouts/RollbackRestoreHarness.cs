using System.Diagnostics;
using System.Globalization;
using ModelOps.Benchmarks.Serving;
using ModelOps.Tests.Infrastructure;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// <c>dotnet run -c Release --project ModelOps.Benchmarks -- rollback-restore [--doc docs/rollback-restore.md]</c>:
/// how long a rollback takes to put traffic back, with the inference log in its own database.
/// 1 routing flips under load with the log in its own file vs in the main database (the old
/// layout), A/B in one run; 2 automatic rollbacks in-process under load; 3 rollouts started and
/// rolled back over HTTP on the running app under HTTP load; 4 serving with and without a judged
/// canary. Counts and sections come from the arguments (<see cref="RollbackRestoreOptions"/>).
/// </summary>
public static class RollbackRestoreHarness
{
    public const string Command = "rollback-restore";

    public static async Task RunAsync(IReadOnlyList<string> args)
    {
        var options = RollbackRestoreOptions.Parse(args);
        var loadBefore = Uptime();
        var startedAt = DateTimeOffset.UtcNow;
        Console.WriteLine($"rollback-restore: .NET {Environment.Version}, {Environment.ProcessorCount} cores, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC (the app runs server GC; DOTNET_gcServer=1 matches it); {loadBefore}");
        Console.WriteLine($"options: {options with { Sections = options.Sections }}; sections {string.Join(",", options.Sections)}");
        Console.WriteLine();
        var figures = new ServingFigures();
        var watch = Stopwatch.StartNew();
        if (options.Sections.Contains("swap"))
        {
            await TimedAsync(() => LogLayoutSwap.RunAsync(options, figures));
        }

        if (options.Sections.Contains("inprocess"))
        {
            await TimedAsync(() => InProcessRollbacks.RunAsync(options, figures));
        }

        if (options.Sections.Contains("http") || options.Sections.Contains("overhead"))
        {
            await using var app = await WebAppProcess.StartAsync(TimeSpan.FromSeconds(180), new Dictionary<string, string?>
            {
                ["ModelOps:Gates:IntervalSeconds"] = options.GateIntervalSeconds.ToString(CultureInfo.InvariantCulture),
                // Candidates are registered in bulk before the measured part; validating each in a child process would take minutes.
                ["ModelOps:Registry:IsolateValidation"] = "false",
                // Each cycle loads a fresh candidate; let rolled-back ones go sooner than the default minute.
                ["ModelOps:Inference:Sessions:RetireGraceSeconds"] = "10",
            });
            using var api = await RolloutApiClient.ConnectAsync(app.BaseAddress);
            Console.WriteLine($"(running app: ModelOps.Web pid {app.ProcessId} on {app.BaseAddress})");
            if (options.Sections.Contains("http"))
            {
                await TimedAsync(() => HttpRollbacks.RunAsync(app, api, options, figures));
            }

            if (options.Sections.Contains("overhead"))
            {
                await TimedAsync(() => JudgeOverhead.RunAsync(app, api, options, figures));
            }
        }

        var loadAfter = Uptime();
        figures.Print();
        Console.WriteLine($"total {watch.Elapsed.TotalSeconds:F0} s; before: {loadBefore}; after: {loadAfter}");
        if (options.DocFile is { } doc)
        {
            await RollbackRestoreReport.WriteAsync(doc, args, startedAt, watch.Elapsed, loadBefore, loadAfter, figures);
            Console.WriteLine($"figures written to {doc}");
        }
    }

    private static async Task TimedAsync(Func<Task> section)
    {
        var watch = Stopwatch.StartNew();
        await section();
        Console.WriteLine($"  ({watch.Elapsed.TotalSeconds:F0} s)");
        Console.WriteLine();
    }

    /// <summary><c>uptime</c>'s line (load averages), or /proc/loadavg where the command is missing.</summary>
    private static string Uptime()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("uptime") { RedirectStandardOutput = true, UseShellExecute = false });
            if (process is not null)
            {
                var line = process.StandardOutput.ReadToEnd().Trim();
                process.WaitForExit();
                return $"uptime: {line}";
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No uptime command: fall back to the kernel's numbers.
        }

        return File.Exists("/proc/loadavg") ? $"load average {File.ReadAllText("/proc/loadavg").Trim()}" : "load average n/a";
    }
}
