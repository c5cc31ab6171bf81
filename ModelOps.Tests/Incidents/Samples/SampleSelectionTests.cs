using ModelOps.Core.Incidents.Samples;

namespace ModelOps.Tests.Incidents.Samples;

public sealed class SampleSelectionTests
{
    private static IReadOnlyList<LoggedRequestKey> Keys(int ok, int failed) =>
        [.. Enumerable.Range(1, ok).Select(i => new LoggedRequestKey(i, false)), .. Enumerable.Range(ok + 1, failed).Select(i => new LoggedRequestKey(i, true))];

    [Fact]
    public void Pick_FewerRowsThanTheSize_KeepsEveryRow()
    {
        var picked = SampleSelection.Pick(Keys(ok: 5, failed: 2), size: 200, failedShare: 0.5, seed: 1);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7], picked);
    }

    [Fact]
    public void Pick_SameSeed_PicksTheSameRows()
    {
        var keys = Keys(ok: 1_000, failed: 30);

        Assert.Equal(SampleSelection.Pick(keys, 100, 0.5, seed: 42), SampleSelection.Pick(keys, 100, 0.5, seed: 42));
        Assert.NotEqual(SampleSelection.Pick(keys, 100, 0.5, seed: 42), SampleSelection.Pick(keys, 100, 0.5, seed: 43));
    }

    [Fact]
    public void Pick_FailuresUnderTheShare_KeepsEveryFailureAndFillsUniformly()
    {
        var picked = SampleSelection.Pick(Keys(ok: 1_000, failed: 30), size: 100, failedShare: 0.5, seed: 3);

        Assert.Equal(100, picked.Count);
        Assert.Equal(100, picked.Distinct().Count());
        Assert.All(Enumerable.Range(1_001, 30), id => Assert.Contains((long)id, picked));
    }

    [Fact]
    public void Pick_MoreFailuresThanTheShare_CapsFailuresSoHealthyTrafficStays()
    {
        // Failures first without a cap would fill all 100 places; with a 20 % share they take 20,
        // and the uniform rest over 100,880 rows adds about one more.
        var picked = SampleSelection.Pick(Keys(ok: 100_000, failed: 900), size: 100, failedShare: 0.2, seed: 5);

        Assert.Equal(100, picked.Count);
        Assert.InRange(picked.Count(id => id > 100_000), 20, 30);
    }

    [Fact]
    public void Pick_ZeroSize_PicksNothing()
    {
        Assert.Empty(SampleSelection.Pick(Keys(ok: 10, failed: 10), size: 0, failedShare: 0.5, seed: 1));
    }
}
