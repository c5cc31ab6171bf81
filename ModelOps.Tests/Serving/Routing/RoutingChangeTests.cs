using ModelOps.Core.Common;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Tests.Serving.Routing;

/// <summary>The rules every caller of a routing change shares (endpoint, alias follower, rollout engine).</summary>
public sealed class RoutingChangeTests
{
    private static readonly RoutingTable Live = RoutingTable.Create("m", 7, [new RouteWeight(2, 90), new RouteWeight(3, 10)], null, null, 2, 3).Value!;

    [Fact]
    public void ToTable_NoExpectedGeneration_IsTheLiveGenerationPlusOne()
    {
        var table = Change(expected: null).ToTable("m", Live);

        Assert.Equal(8, table.Value!.Generation);
    }

    [Fact]
    public void ToTable_StaleExpectedGeneration_IsAConflictNamingBoth()
    {
        var table = Change(expected: 6).ToTable("m", Live);

        Assert.Equal(ErrorKind.Conflict, table.Error!.Kind);
        Assert.Contains("generation 7, not 6", table.Error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ToTable_NoLiveTableAndExpectedZero_StartsAtGenerationOne()
    {
        var table = Change(expected: 0).ToTable("m", null);

        Assert.Equal(1, table.Value!.Generation);
    }

    [Theory]
    [InlineData(true, "weights")]
    [InlineData(false, "reason")]
    public void ToTable_MissingWeightsOrReason_IsInvalidNamingTheField(bool withoutWeights, string field)
    {
        var change = withoutWeights ? Change(expected: 7) with { Weights = [] } : Change(expected: 7) with { Reason = " " };

        var table = change.ToTable("m", Live);

        Assert.Equal((ErrorKind.Invalid, field), (table.Error!.Kind, table.Error.Field));
    }

    [Fact]
    public void FollowChampion_RolloutHoldsACandidate_LeavesTheTable()
    {
        Assert.Null(RoutingChange.FollowChampion(Live, 2, "champion"));
    }

    [Fact]
    public void FollowChampion_AllTrafficAlreadyOnTheChampion_LeavesTheTable()
    {
        var single = RoutingTable.Single("m", 2, 4).Value!;

        Assert.Null(RoutingChange.FollowChampion(single, 2, "champion"));
    }

    [Fact]
    public void FollowChampion_NoRollout_MovesAllTrafficOnTopOfTheLiveGeneration()
    {
        var single = RoutingTable.Single("m", 2, 4).Value!;

        var table = RoutingChange.FollowChampion(single, 3, "champion")!.ToTable("m", single).Value!;

        Assert.Equal([3], table.RoutableVersions);
        Assert.Equal(5, table.Generation);
    }

    private static RoutingChange Change(long? expected) =>
        new([new RouteWeight(2, 50), new RouteWeight(3, 50)], null, null, 2, 3, "canary step 3", expected);
}
