using System.Diagnostics;

namespace ModelOps.Benchmarks.Serving;

/// <summary>
/// The serving benchmarks, run in sequence by <c>dotnet run -c Release --project
/// ModelOps.Benchmarks -- serving</c>: 1 in-process path vs raw ONNX, 2 HTTP on loopback,
/// 3 routing swaps under load, 4 the inference log, 5 memory over session load/unload cycles.
/// Each prints as it goes; the figures table comes last.
/// </summary>
public static class ServingSuite
{
    public const int InProcess = 1;
    public const int Http = 2;
    public const int Swap = 3;
    public const int InferenceLog = 4;
    public const int Memory = 5;

    /// <summary>Runs the given harnesses (all five when none is given) and prints the figures table.</summary>
    public static async Task RunAsync(params int[] harnesses)
    {
        if (harnesses.Length == 0)
        {
            harnesses = [InProcess, Http, Swap, InferenceLog, Memory];
        }

        var figures = new ServingFigures();
        Console.WriteLine($"serving benchmarks {string.Join(", ", harnesses)}: .NET {Environment.Version}, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        Console.WriteLine();
        var watch = Stopwatch.StartNew();
        foreach (var harness in harnesses)
        {
            var started = watch.Elapsed;
            switch (harness)
            {
                case InProcess:
                    await InProcessServingHarness.RunAsync(figures);
                    break;
                case Http:
                    await HttpServingHarness.RunAsync(figures);
                    break;
                case Swap:
                    await SwapUnderLoadHarness.RunAsync(figures);
                    break;
                case InferenceLog:
                    await InferenceLogHarness.RunAsync(figures: figures);
                    break;
                case Memory:
                    await SessionMemoryHarness.RunAsync(figures);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(harnesses), harness, "Serving harnesses are numbered 1 to 5.");
            }

            Console.WriteLine($"  ({(watch.Elapsed - started).TotalSeconds:F0} s)");
            Console.WriteLine();
        }

        figures.Print();
        Console.WriteLine($"total {watch.Elapsed.TotalSeconds:F0} s; load average now {LoadAverage()} (other processes on the machine skew absolute figures; ratios are measured interleaved)");
    }

    /// <summary>The 1, 5 and 15 minute load averages, where Linux publishes them.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
