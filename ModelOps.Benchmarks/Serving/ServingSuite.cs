using System.Diagnostics;

namespace ModelOps.Benchmarks.Serving;

/// <summary>
/// The serving benchmarks. <c>dotnet run -c Release --project ModelOps.Benchmarks -- serving</c>
/// runs them in sequence — 1 in-process path vs raw ONNX, 2 HTTP on loopback, 3 routing swaps
/// under load, 4 the inference log, 5 memory over session load/unload cycles — each in a fresh
/// process of this program, so one harness's leftovers (garbage, a disposed host's background
/// work, JIT state) cannot colour the next one's figures, memory above all. Each prints as it
/// goes; the combined figures table comes last. Each also runs alone by its command.
/// </summary>
public static class ServingSuite
{
    private const string FiguresOption = "--figures";

    private static readonly (string Command, Func<ServingFigures, Task> Run)[] Harnesses =
    [
        ("serving-inprocess", figures => InProcessServingHarness.RunAsync(figures)),
        ("serving-http", figures => HttpServingHarness.RunAsync(figures)),
        ("serving-swap", figures => SwapUnderLoadHarness.RunAsync(figures)),
        ("inference-log", figures => InferenceLogHarness.RunAsync(figures: figures)),
        ("serving-memory", figures => SessionMemoryHarness.RunAsync(figures)),
    ];

    public static bool IsHarness(string command) => Harnesses.Any(h => h.Command == command);

    /// <summary>Runs every harness in its own child process and prints the combined figures; the exit code is 1 if any failed.</summary>
    public static async Task<int> RunAllAsync()
    {
        Console.WriteLine($"serving benchmarks: .NET {Environment.Version}, {Environment.ProcessorCount} cores, load average {LoadAverage()}; each harness in its own process");
        Console.WriteLine();
        var figures = new ServingFigures();
        var failed = new List<string>();
        var watch = Stopwatch.StartNew();
        foreach (var (command, _) in Harnesses)
        {
            var file = Path.Combine(Path.GetTempPath(), $"modelops-figures-{Guid.NewGuid():N}.json");
            var started = watch.Elapsed;
            try
            {
                var exitCode = await RunChildAsync(command, file);
                if (exitCode == 0 && File.Exists(file))
                {
                    figures.AddRange(ServingFigures.Load(file));
                }
                else
                {
                    failed.Add($"{command} (exit code {exitCode})");
                    figures.AddText(command, "FAILED", $"exit code {exitCode}");
                }
            }
            finally
            {
                File.Delete(file);
            }

            Console.WriteLine($"  ({(watch.Elapsed - started).TotalSeconds:F0} s)");
            Console.WriteLine();
        }

        figures.Print();
        Console.WriteLine($"total {watch.Elapsed.TotalSeconds:F0} s; load average now {LoadAverage()} (other processes on this machine move absolute figures; the ratios are measured interleaved)");
        if (failed.Count > 0)
        {
            Console.WriteLine($"failed: {string.Join(", ", failed)}");
        }

        return failed.Count == 0 ? 0 : 1;
    }

    /// <summary>Runs one harness here; prints its figures, or saves them for the parent when <c>--figures &lt;file&gt;</c> is given.</summary>
    public static async Task RunOneAsync(string command, string[] options)
    {
        var figuresFile = options is [FiguresOption, var file, ..] ? file : null;
        var figures = new ServingFigures();
        var watch = Stopwatch.StartNew();
        await Harnesses.Single(h => h.Command == command).Run(figures);
        if (figuresFile is not null)
        {
            figures.Save(figuresFile);
            return;
        }

        Console.WriteLine($"  ({watch.Elapsed.TotalSeconds:F0} s)");
        figures.Print();
        Console.WriteLine($"load average {LoadAverage()}");
    }

    /// <summary>This same program (apphost or <c>dotnet</c> + assembly) with one harness command; its output goes straight to the console.</summary>
    private static async Task<int> RunChildAsync(string command, string figuresFile)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ServingSuite).Assembly.Location);
        }

        start.ArgumentList.Add(command);
        start.ArgumentList.Add(FiguresOption);
        start.ArgumentList.Add(figuresFile);
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host} {command}.");
        await child.WaitForExitAsync();
        return child.ExitCode;
    }

    /// <summary>The 1, 5 and 15 minute load averages, where Linux publishes them.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
