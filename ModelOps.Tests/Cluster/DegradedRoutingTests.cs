using Microsoft.Extensions.Time.Testing;
using ModelOps.Core.Cluster;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Tests.Cluster;

public sealed class DegradedRoutingTests
{
    private const string Model = "ctr-ranker";
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(15);
    private static readonly ActiveRolloutRoute Rollout = new("r1", Model, CandidateVersion: 3, RollbackTarget: 2);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 20, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(true, 60, false)] // reachable: however long ago the last probe, nothing changes
    [InlineData(false, 14, false)] // unreachable, within the threshold
    [InlineData(false, 15, false)] // exactly at it: "longer than" the threshold
    [InlineData(false, 16, true)]
    public void Decide_CanaryLive_OverridesOnlyPastTheThresholdWithoutContact(bool reachable, int secondsSinceContact, bool degraded)
    {
        var contact = new DatabaseContact(reachable, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(secondsSinceContact));

        var routes = DegradedRouting.Decide(contact, _time.GetUtcNow(), Threshold, [Rollout], Live(Canary(30)));

        Assert.Equal(degraded, routes.Count == 1);
    }

    [Fact]
    public void Decide_CanaryPastThreshold_ServesTheCandidatesShareFromTheRollbackTargetOnTheSameGeneration()
    {
        var contact = new DatabaseContact(false, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(20));

        var route = Assert.Single(DegradedRouting.Decide(contact, _time.GetUtcNow(), Threshold, [Rollout], Live(Canary(30))));

        Assert.Equal(Rollout, route.Rollout);
        Assert.Equal(7, route.Table.Generation);
        Assert.Equal([new RouteWeight(2, 100), new RouteWeight(3, 0)], route.Table.DefaultWeights);
        Assert.Equal([2], route.Table.RoutableVersions);
    }

    [Fact]
    public void Decide_RegionOpenedOnItsOwn_MovesTheCandidateInEverySplit()
    {
        var regional = RoutingTable.Create(
            Model, 7, [new RouteWeight(2, 100), new RouteWeight(3, 0)],
            new Dictionary<string, IReadOnlyList<RouteWeight>> { ["eu"] = [new RouteWeight(2, 40), new RouteWeight(3, 60)] },
            baselineVersion: 2, candidateVersion: 3).Value!;
        var contact = new DatabaseContact(false, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(20));

        var route = Assert.Single(DegradedRouting.Decide(contact, _time.GetUtcNow(), Threshold, [Rollout], Live(regional)));

        Assert.Equal([new RouteWeight(2, 100), new RouteWeight(3, 0)], route.Table.WeightsFor("eu"));
        Assert.Equal([2], route.Table.RoutableVersions);
    }

    [Fact]
    public void Decide_BlueGreenFlipped_SendsEverythingBackToTheTarget()
    {
        var contact = new DatabaseContact(false, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(20));

        var route = Assert.Single(DegradedRouting.Decide(contact, _time.GetUtcNow(), Threshold, [Rollout], Live(RoutingTable.BlueGreen(Model, 2, 3, 7).Value!)));

        Assert.Equal([2], route.Table.RoutableVersions);
    }

    [Fact]
    public void Decide_ShadowingOrNoRollout_LeavesTheLiveTable()
    {
        var contact = new DatabaseContact(false, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(20));
        var now = _time.GetUtcNow();

        Assert.Empty(DegradedRouting.Decide(contact, now, Threshold, [Rollout], Live(RoutingTable.Shadowed(Model, 2, 3, 0.5, 7).Value!)));
        Assert.Empty(DegradedRouting.Decide(contact, now, Threshold, [], Live(Canary(30))));
        Assert.Empty(DegradedRouting.Decide(contact, now, Threshold, [Rollout with { Model = "other" }], Live(Canary(30))));
    }

    [Fact]
    public void Reroute_TargetAtNearlyAllWeight_StaysAValidTable()
    {
        var table = RoutingTable.Canary(Model, 2, 3, 100 - 99.99999999999999, 7).Value!;

        var rerouted = DegradedRouting.Reroute(table, 3, 2);

        Assert.NotNull(rerouted);
        Assert.Equal([2], rerouted.RoutableVersions);
    }

    private static RoutingTable Canary(double percent) => RoutingTable.Canary(Model, 2, 3, percent, 7).Value!;

    private static Dictionary<string, RoutingTable> Live(RoutingTable table) => new() { [table.Model] = table };
}
