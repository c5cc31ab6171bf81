using BenchmarkDotNet.Attributes;
using ModelOps.Inference.Serving.Metrics;

namespace ModelOps.Benchmarks.Serving;

[MemoryDiagnoser]
public class LatencyHistogramBenchmarks
{
    private readonly LatencyHistogram histogram = new();

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (var i = 0; i < 100_000; i++)
        {
            histogram.RecordValue(random.NextInt64(100, 50_000));
        }
    }

    [Benchmark]
    public void RecordValue() => histogram.RecordValue(12_345);

    [Benchmark]
    public double? P99() => histogram.ValueAtQuantile(0.99);
}
