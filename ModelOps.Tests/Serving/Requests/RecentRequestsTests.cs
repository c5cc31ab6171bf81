using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Requests;

namespace ModelOps.Tests.Serving.Requests;

public sealed class RecentRequestsTests
{
    [Fact]
    public void IssuedIds_BeyondCapacity_OldestFallOutOfTheRingNewestAreFound()
    {
        var recent = new RecentRequests(capacity: 1_000, new Random(1));
        var ids = new List<string>();

        for (var i = 0; i < 1_500; i++)
        {
            var id = recent.NewId();
            ids.Add(id);
            recent.Add(new RequestRef(id, "ctr-ranker", 2, Arm.Baseline, i));
        }

        Assert.Null(recent.Find(ids[499]));
        Assert.Equal(500, recent.Find(ids[500])!.RawScore);
        Assert.Equal(1_499, recent.Find(ids[1_499])!.RawScore);
        Assert.Equal(0, recent.NamedCount);
    }

    [Fact]
    public void NewId_ManyConcurrently_AreDistinct32CharHex()
    {
        var recent = new RecentRequests(capacity: 1_000, new Random(2));

        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 20_000, _ => ids.Add(recent.NewId()));

        Assert.Equal(20_000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
    }

    [Fact]
    public void Find_IdWithSameSlotButOtherSalt_IsNotConfused()
    {
        var recent = new RecentRequests(capacity: 1_000, new Random(3));
        var id = recent.NewId();
        recent.Add(new RequestRef(id, "ctr-ranker", 2, Arm.Baseline, 0.5));

        var forged = id[..16] + new string('0', 16);

        Assert.Null(recent.Find(forged));
    }

    [Fact]
    public void CallerIds_BeyondCapacity_EvictsTheOldestAndKeepsCountAtCapacity()
    {
        var recent = new RecentRequests(capacity: 1_000, new Random(4));

        for (var i = 0; i < 1_500; i++)
        {
            recent.Add(new RequestRef($"req-{i}", "ctr-ranker", 2, Arm.Baseline, 0.5));
        }

        Assert.Equal(1_000, recent.NamedCount);
        Assert.Null(recent.Find("req-499"));
        Assert.NotNull(recent.Find("req-500"));
        Assert.NotNull(recent.Find("req-1499"));
    }

    [Fact]
    public void Add_SameIdTwice_KeepsTheFirstAndCountsOnce()
    {
        var recent = new RecentRequests(capacity: 1_000, new Random(5));
        var first = new RequestRef("req-1", "ctr-ranker", 2, Arm.Baseline, 0.5);

        recent.Add(first);
        recent.Add(new RequestRef("req-1", "ctr-ranker", 3, Arm.Candidate, 0.7));

        Assert.Equal(1, recent.NamedCount);
        Assert.Same(first, recent.Find("req-1"));
    }
}
