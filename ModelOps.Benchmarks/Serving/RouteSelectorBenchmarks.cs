using BenchmarkDotNet.Attributes;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Routing;

namespace ModelOps.Benchmarks.Serving;

[MemoryDiagnoser]
public class RouteSelectorBenchmarks
{
    private RoutingTable table = null!; // set in Setup before any benchmark runs

    [GlobalSetup]
    public void Setup() =>
        table = RoutingTable.Create(
            "churn", 1, [new RouteWeight(1, 75), new RouteWeight(2, 25)], shadow: new ShadowMirror(3, 0.1), baselineVersion: 1, candidateVersion: 2).Value!;

    [Benchmark(Baseline = true)]
    public RouteDecision RandomDraw() => RouteSelector.Select(table, null, null, 0.42, 0.07);

    [Benchmark]
    public RouteDecision StickyKey() => RouteSelector.Select(table, "user-1234567", "eu-west", 0, 0);
}
