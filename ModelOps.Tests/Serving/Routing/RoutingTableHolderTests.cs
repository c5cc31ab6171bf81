using ModelOps.Core.Common;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Routing;

namespace ModelOps.Tests.Serving.Routing;

public sealed class RoutingTableHolderTests
{
    [Fact]
    public void Publish_OlderOrEqualGeneration_IsConflictAndKeepsLiveTable()
    {
        var holder = new RoutingTableHolder();
        holder.Publish(RoutingTable.Canary("churn", 1, 2, 10, 5).Value!);

        var stale = holder.Publish(RoutingTable.Single("churn", 1, 5).Value!);

        Assert.Equal(ErrorKind.Conflict, stale.Error?.Kind);
        Assert.Equal(2, holder.Current("churn")?.CandidateVersion);
    }

    [Fact]
    public void Publish_OtherModel_DoesNotAffectIt()
    {
        var holder = new RoutingTableHolder();
        holder.Publish(RoutingTable.Single("churn", 1, 9).Value!);

        var result = holder.Publish(RoutingTable.Single("fraud", 4, 1).Value!);

        Assert.True(result.IsSuccess);
        Assert.Equal(9, holder.Current("churn")?.Generation);
    }

    [Fact]
    public async Task Publish_10000FlipsWithConcurrentReaders_ReadersSeeWholeTablesInGenerationOrder()
    {
        const int flips = 10_000;
        var holder = new RoutingTableHolder();
        holder.Publish(Expected(0));
        using var done = new CancellationTokenSource();

        // Each generation has one known shape; a reader that saw a table not equal to the one
        // built for its generation would have seen a partial or mixed write.
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            long last = -1;
            var observed = 0;
            while (!done.IsCancellationRequested || observed == 0)
            {
                var table = holder.Snapshot()["churn"];
                Assert.True(table.Generation >= last, $"generation went back from {last} to {table.Generation}");
                AssertShape(table);
                last = table.Generation;
                observed++;
            }

            return observed;
        })).ToList();

        for (var g = 1; g <= flips; g++)
        {
            Assert.True(holder.Publish(Expected(g)).IsSuccess);
        }

        await done.CancelAsync();
        var reads = await Task.WhenAll(readers);

        Assert.All(reads, r => Assert.True(r > 0));
        Assert.Equal(flips, holder.Current("churn")?.Generation);
    }

    private static RoutingTable Expected(long generation) => generation % 2 == 0
        ? RoutingTable.Single("churn", 1, generation).Value!
        : RoutingTable.Canary("churn", 1, 2, generation % 100, generation).Value!;

    private static void AssertShape(RoutingTable table)
    {
        var expected = Expected(table.Generation);
        Assert.Equal(expected.DefaultWeights, table.DefaultWeights);
        Assert.Equal(expected.CandidateVersion, table.CandidateVersion);
    }
}
