using ModelOps.Inference.Serving.Metrics;

namespace ModelOps.Tests.Serving.Metrics;

public sealed class LatencyHistogramTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.95)]
    [InlineData(0.99)]
    [InlineData(0.999)]
    public void ValueAtQuantile_LogNormalLatencies_WithinDocumentedRelativeError(double q)
    {
        var random = new Random(2024);
        var values = Enumerable.Range(0, 50_000)
            .Select(_ => (long)Math.Exp(7 + (2.5 * (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5))))
            .Select(v => Math.Clamp(v, 1, LatencyHistogram.MaxValueMicroseconds))
            .ToArray();
        var histogram = new LatencyHistogram();
        foreach (var v in values)
        {
            histogram.RecordValue(v);
        }

        Array.Sort(values);
        var exact = values[(int)Math.Max(1, Math.Ceiling(q * values.Length)) - 1];

        var estimate = histogram.ValueAtQuantile(q)!.Value;

        Assert.InRange(Math.Abs(estimate - exact) / exact, 0, LatencyHistogram.MaxRelativeError);
    }

    [Fact]
    public void Merge_TwoHalves_EqualsOneHistogramOfAll()
    {
        var random = new Random(5);
        var all = new LatencyHistogram();
        var left = new LatencyHistogram();
        var right = new LatencyHistogram();
        for (var i = 0; i < 10_000; i++)
        {
            var v = random.NextInt64(1, 60_000_000);
            all.RecordValue(v);
            (i % 2 == 0 ? left : right).RecordValue(v);
        }

        left.Merge(right);

        Assert.Equal(all.TotalCount, left.TotalCount);
        Assert.Equal(all.ValueAtQuantile(0.99), left.ValueAtQuantile(0.99));
    }

    [Fact]
    public void ValueAtQuantile_Empty_IsNull()
    {
        Assert.Null(new LatencyHistogram().ValueAtQuantile(0.5));
    }

    [Fact]
    public async Task RecordValue_ConcurrentThreads_CountsEveryValue()
    {
        var histogram = new LatencyHistogram();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 25_000; i++)
            {
                histogram.RecordValue(1000 + t);
            }
        })));

        Assert.Equal(100_000, histogram.TotalCount);
    }
}
