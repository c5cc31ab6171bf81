using ModelOps.Inference.Serving.Chaos;

namespace ModelOps.Tests.Serving.Chaos;

public sealed class ChaosBoardTests
{
    [Fact]
    public void Set_SameVersionTwice_LatestReplacesEarlier()
    {
        var board = new ChaosBoard();

        board.Set(Fault("m", 1, errorRate: 0.1));
        board.Set(Fault("m", 1, errorRate: 0.3));

        Assert.Equal(0.3, board.Find("m", 1)?.ErrorRate);
        Assert.Single(board.All());
    }

    [Fact]
    public void Find_OtherVersionOrModel_IsNull()
    {
        var board = new ChaosBoard();
        board.Set(Fault("m", 1));

        Assert.Null(board.Find("m", 2));
        Assert.Null(board.Find("n", 1));
    }

    [Fact]
    public void Find_OnAPopulatedBoard_DoesNotAllocate()
    {
        var board = new ChaosBoard();
        for (var v = 1; v <= 50; v++)
        {
            board.Set(Fault("ctr-ranker", v));
        }

        _ = board.Find("ctr-ranker", 7); // JIT and first-touch outside the measurement.
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            _ = board.Find("ctr-ranker", (i % 60) + 1);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ClearAll_WithFaults_EmptiesBoardAndReturnsThem()
    {
        var board = new ChaosBoard();
        board.Set(Fault("m", 1));
        board.Set(Fault("n", 2));

        var removed = board.ClearAll();

        Assert.Equal(2, removed.Count);
        Assert.Empty(board.All());
        Assert.Null(board.Find("m", 1));
    }

    [Fact]
    public void Remove_FaultReplacedAfterSnapshot_KeepsTheReplacement()
    {
        var board = new ChaosBoard();
        board.Set(Fault("m", 1, errorRate: 0.1));
        board.Set(Fault("n", 1));
        var snapshot = board.All();
        board.Set(Fault("m", 1, errorRate: 0.9));

        board.Remove(snapshot);

        Assert.Equal(0.9, board.Find("m", 1)?.ErrorRate);
        Assert.Null(board.Find("n", 1));
    }

    [Fact]
    public async Task Set_ConcurrentWritersOnDistinctVersions_LoseNoUpdate()
    {
        var board = new ChaosBoard();
        using var start = new Barrier(4);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(() =>
        {
            start.SignalAndWait();
            for (var v = 1; v <= 250; v++)
            {
                board.Set(Fault($"m{writer}", v));
            }
        })));

        Assert.Equal(1_000, board.All().Count);
    }

    [Fact]
    public void All_ManyFaults_OrderedByModelThenVersion()
    {
        var board = new ChaosBoard();
        board.Set(Fault("b", 1));
        board.Set(Fault("a", 10));
        board.Set(Fault("a", 2));

        Assert.Equal([("a", 2), ("a", 10), ("b", 1)], board.All().Select(f => (f.Model, f.Version)));
    }

    [Theory]
    [InlineData(0.0, 0.0, false)]
    [InlineData(0.0, 0.999_999, false)]
    [InlineData(0.25, 0.249_999, true)]
    [InlineData(0.25, 0.25, false)]
    [InlineData(1.0, 0.999_999, true)]
    public void DrawsError_UniformDrawAgainstRate_FailsExactlyBelowTheRate(double errorRate, double draw, bool fails)
    {
        Assert.Equal(fails, ChaosBoard.DrawsError(Fault("m", 1, errorRate: errorRate), draw));
    }

    [Fact]
    public void ApplyKpi_FactorOnEveryOutcome_ScalesTheMeanByTheFactor()
    {
        var outcomes = new[] { 1.0, 0.0, 0.0, 1.0, 1.0 };
        var fault = Fault("m", 1, kpiFactor: 0.8);

        var scaled = outcomes.Select(o => ChaosBoard.ApplyKpi(fault, o)).Average();

        Assert.Equal(outcomes.Average() * 0.8, scaled, 12);
        Assert.Equal(1.0, ChaosBoard.ApplyKpi(null, 1.0));
    }

    private static ChaosFault Fault(string model, int version, double errorRate = 0, double kpiFactor = 1) =>
        ChaosFault.Create(model, version, 0, errorRate, kpiFactor).Value!; // Test arguments are in range.
}
