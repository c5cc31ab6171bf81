using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Requests;

namespace ModelOps.Tests.Serving.Requests;

public sealed class RecentRequestsTests
{
    [Fact]
    public void Add_BeyondCapacity_EvictsTheOldestAndKeepsCountAtCapacity()
    {
        var recent = new RecentRequests(capacity: 1_000);

        for (var i = 0; i < 1_500; i++)
        {
            recent.Add(new RequestRef($"req-{i}", "ctr-ranker", 2, Arm.Baseline, 0.5));
        }

        Assert.Equal(1_000, recent.Count);
        Assert.Null(recent.Find("req-499"));
        Assert.NotNull(recent.Find("req-500"));
        Assert.NotNull(recent.Find("req-1499"));
    }

    [Fact]
    public void Add_SameIdTwice_KeepsTheFirstAndCountsOnce()
    {
        var recent = new RecentRequests(capacity: 1_000);
        var first = new RequestRef("req-1", "ctr-ranker", 2, Arm.Baseline, 0.5);

        recent.Add(first);
        recent.Add(new RequestRef("req-1", "ctr-ranker", 3, Arm.Candidate, 0.7));

        Assert.Equal(1, recent.Count);
        Assert.Same(first, recent.Find("req-1"));
    }
}
