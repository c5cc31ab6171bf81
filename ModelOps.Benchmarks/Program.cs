using BenchmarkDotNet.Running;
using ModelOps.Benchmarks.Audit;
using ModelOps.Benchmarks.Serving;

namespace ModelOps.Benchmarks;

public static class BenchmarkProgram
{
    /// <summary>
    /// <c>foundation</c> runs the measured harness (audit, chain verification, artifact memory);
    /// <c>inference-log</c> the inference log harness (sustained rows/s, nothing lost);
    /// anything else goes to BenchmarkDotNet (e.g. <c>--filter '*RouteSelector*'</c>).
    /// </summary>
    public static async Task Main(string[] args)
    {
        if (args is ["foundation", ..])
        {
            await FoundationHarness.RunAsync();
            return;
        }

        if (args is ["inference-log", ..])
        {
            await InferenceLogHarness.RunAsync();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }
}
