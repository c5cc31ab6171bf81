using BenchmarkDotNet.Running;
using ModelOps.Benchmarks.Audit;

namespace ModelOps.Benchmarks;

public static class BenchmarkProgram
{
    /// <summary>
    /// <c>foundation</c> runs the measured harness (audit, chain verification, artifact memory);
    /// anything else goes to BenchmarkDotNet (e.g. <c>--filter '*RouteSelector*'</c>).
    /// </summary>
    public static async Task Main(string[] args)
    {
        if (args is ["foundation", ..])
        {
            await FoundationHarness.RunAsync();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }
}
