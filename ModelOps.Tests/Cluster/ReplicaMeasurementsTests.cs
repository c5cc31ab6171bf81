using ModelOps.Core.Cluster;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Tests.Cluster;

public sealed class ReplicaMeasurementsTests
{
    [Fact]
    public void Merge_QuietAndBusyReplicaWithFullReservoirs_QuietReplicaGetsItsShareOfSamplesNotHalf()
    {
        var busy = new ArmMeasurements(10_000, 0, 0, [.. Enumerable.Repeat(10.0, 64)]);
        var quiet = new ArmMeasurements(100, 0, 0, [.. Enumerable.Repeat(500.0, 64)]);

        var merged = ReplicaMeasurements.Merge([busy, quiet], 64, new Random(1));

        Assert.Equal(64, merged.LatencySamplesMs.Count);
        Assert.Equal(1, merged.LatencySamplesMs.Count(s => s == 500.0)); // 64 · 100 / 10,100 = 0.63 → 1
    }

    [Fact]
    public void Merge_ConcatenatedReservoirsWouldDoubleTheQuietReplicasP95_MergedP95StaysTheBusyOnes()
    {
        var busy = new ArmMeasurements(10_000, 0, 0, [.. Enumerable.Range(0, 64).Select(i => 10.0 + (i % 5))]);
        var quiet = new ArmMeasurements(200, 0, 0, [.. Enumerable.Repeat(900.0, 64)]);

        var merged = ReplicaMeasurements.Merge([busy, quiet], 64, new Random(7));

        var sorted = merged.LatencySamplesMs.Order().ToList();
        Assert.True(sorted[(int)(0.95 * (sorted.Count - 1))] < 20, $"p95 {sorted[(int)(0.95 * (sorted.Count - 1))]}");
    }

    [Fact]
    public void Merge_CountsAndKpiStatistics_AddUp()
    {
        var a = new ArmMeasurements(100, 3, 1, [1.0], KpiSum: 12, KpiSumSquares: 12, KpiCount: 80,
            KpiBySegment: new Dictionary<string, IReadOnlyDictionary<string, ArmTally>> { ["hourOfDay"] = new Dictionary<string, ArmTally> { ["3"] = new(10, 2, 2) } });
        var b = new ArmMeasurements(50, 1, 0, [2.0], KpiSum: 5, KpiSumSquares: 5, KpiCount: 40,
            KpiBySegment: new Dictionary<string, IReadOnlyDictionary<string, ArmTally>> { ["hourOfDay"] = new Dictionary<string, ArmTally> { ["3"] = new(4, 1, 1), ["4"] = new(2, 0, 0) } });

        var merged = ReplicaMeasurements.Merge([a, b], 64, new Random(1));

        Assert.Equal((150L, 4L, 1L, 17.0, 17.0, 120L), (merged.Requests, merged.Errors, merged.Timeouts, merged.KpiSum, merged.KpiSumSquares, merged.KpiCount));
        Assert.Equal(new ArmTally(14, 3, 3), merged.KpiBySegment!["hourOfDay"]["3"]);
        Assert.Equal(new ArmTally(2, 0, 0), merged.KpiBySegment!["hourOfDay"]["4"]);
    }

    [Theory]
    [InlineData(new long[] { 900, 100 }, new[] { 64, 64 }, 64, new[] { 58, 6 })]
    [InlineData(new long[] { 30, 10 }, new[] { 30, 10 }, 64, new[] { 30, 10 })]
    [InlineData(new long[] { 1000, 1000 }, new[] { 64, 3 }, 64, new[] { 32, 3 })]
    [InlineData(new long[] { 0, 0 }, new[] { 0, 0 }, 64, new[] { 0, 0 })]
    public void Quotas_ByRequestShare_CappedAtWhatEachKept(long[] requests, int[] kept, int capacity, int[] expected)
    {
        var quotas = ReplicaMeasurements.Quotas([.. requests.Zip(kept)], capacity);

        Assert.Equal(expected, quotas);
    }
}
