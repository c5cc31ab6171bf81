using ModelOps.Core.Common;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Tests.Serving.Routing;

public sealed class RoutingTableTests
{
    [Theory]
    [InlineData(90.0, 9.0)]
    [InlineData(90.0, 10.000001)]
    [InlineData(-5.0, 105.0)]
    [InlineData(double.NaN, 100.0)]
    public void Create_WeightsNotSummingTo100InRange_IsInvalid(double first, double second)
    {
        var result = RoutingTable.Create("churn", 1, [new RouteWeight(1, first), new RouteWeight(2, second)]);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorKind.Invalid, result.Error.Kind);
    }

    [Fact]
    public void Create_SumWithinTolerance_Succeeds()
    {
        var result = RoutingTable.Create("churn", 1, [new RouteWeight(1, 100.0 / 3), new RouteWeight(2, 100.0 / 3), new RouteWeight(3, 100.0 / 3)]);

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public void Create_DuplicateVersion_IsInvalid()
    {
        var result = RoutingTable.Create("churn", 1, [new RouteWeight(1, 50), new RouteWeight(1, 50)]);

        Assert.Equal(ErrorKind.Invalid, result.Error?.Kind);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void Create_ShadowShareOutside0To1_IsInvalid(double share)
    {
        var result = RoutingTable.Shadowed("churn", 1, 2, share, 1);

        Assert.Equal("shadow", result.Error?.Field);
    }

    [Fact]
    public void Create_RegionOverrideNotSummingTo100_IsInvalid()
    {
        var regions = new Dictionary<string, IReadOnlyList<RouteWeight>> { ["eu"] = [new RouteWeight(1, 60)] };

        var result = RoutingTable.Create("churn", 1, [new RouteWeight(1, 100)], regions);

        Assert.Equal("regionOverrides[eu]", result.Error?.Field);
    }

    [Fact]
    public void RoutableVersions_ZeroWeightVersionAndShadow_ListsWeightedAndShadowOnly()
    {
        var regions = new Dictionary<string, IReadOnlyList<RouteWeight>>
        {
            ["eu"] = [new RouteWeight(1, 75), new RouteWeight(3, 25)],
        };
        var table = RoutingTable.Create(
            "churn", 4, [new RouteWeight(1, 100), new RouteWeight(2, 0)], regions, new ShadowMirror(5, 0.1)).Value!;

        Assert.Equal([1, 3, 5], table.RoutableVersions);
    }

    [Fact]
    public void Canary_InputOrder_StoresCandidateLast()
    {
        var table = RoutingTable.Create(
            "churn", 1, [new RouteWeight(9, 10), new RouteWeight(2, 90)], baselineVersion: 2, candidateVersion: 9).Value!;

        Assert.Equal(9, table.DefaultWeights[^1].Version);
    }

    [Fact]
    public void BlueGreen_Flip_SendsAllTrafficToTheOtherVersion()
    {
        var table = RoutingTable.BlueGreen("churn", fromVersion: 1, toVersion: 2, generation: 7).Value!;

        Assert.Equal([2], table.RoutableVersions);
        Assert.Equal(1, table.BaselineVersion);
    }

    [Fact]
    public void Create_SameBaselineAndCandidate_IsInvalid()
    {
        var result = RoutingTable.Canary("churn", 3, 3, 10, 1);

        Assert.Equal("candidateVersion", result.Error?.Field);
    }
}
