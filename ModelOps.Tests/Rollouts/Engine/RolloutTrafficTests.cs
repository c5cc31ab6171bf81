using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Tests.Rollouts.Engine;

/// <summary>
/// <see cref="RolloutTraffic.InPlace"/>: whether the live table is where the rollout's stored state
/// puts it — what start-up recovery and the sweep's repair act on. Plan: steps 10 % then 100 %,
/// staged rollback 5 % then 0 %, candidate v3, target v2.
/// </summary>
public sealed class RolloutTrafficTests
{
    private static readonly RolloutPlan Plan = PolicyFixtures.Plan();

    [Theory]
    [InlineData(0, 10.0, true)]
    [InlineData(0, 0.0, false)] // the step committed, its swap did not
    [InlineData(1, 10.0, false)] // advanced to 100 %, still at the first step's split
    [InlineData(1, 100.0, true)]
    public void Progressing_IsInPlaceOnlyAtItsStepsWeight(int step, double liveWeight, bool inPlace)
    {
        var rollout = PolicyFixtures.Rollout(RolloutStates.Progressing, step);

        Assert.Equal(inPlace, RolloutTraffic.InPlace(rollout, Plan, Canary(liveWeight)));
    }

    [Fact]
    public void AwaitingApproval_OnAPlanThatStepsDown_IsInPlaceAtThePreviousStep()
    {
        var rollout = PolicyFixtures.Rollout(RolloutStates.AwaitingApproval, stepIndex: 1);

        Assert.True(RolloutTraffic.InPlace(rollout, Plan with { SoftTriggerStepsDown = true }, Canary(10)));
        Assert.False(RolloutTraffic.InPlace(rollout, Plan with { SoftTriggerStepsDown = true }, Canary(100)));
        Assert.True(RolloutTraffic.InPlace(rollout, Plan with { SoftTriggerStepsDown = false }, Canary(100)));
    }

    [Fact]
    public void RolledBack_IsInPlaceOnlyWhenTheCandidateIsNeitherRoutedNorMirrored()
    {
        var rollout = PolicyFixtures.Rollout(RolloutStates.RolledBack);

        Assert.True(RolloutTraffic.InPlace(rollout, Plan, Single(2)));
        Assert.False(RolloutTraffic.InPlace(rollout, Plan, Canary(10)));
        Assert.False(RolloutTraffic.InPlace(rollout, Plan, RoutingTable.Shadowed("ctr-ranker", 2, 3, 0.1, 4).Value!));
    }

    [Theory]
    [InlineData(10.0, false)]
    [InlineData(5.0, true)]
    [InlineData(2.0, true)] // a hold never raises the candidate
    public void RollingBack_IsInPlaceAtOrBelowTheHoldsWeight(double liveWeight, bool inPlace)
    {
        var rollout = PolicyFixtures.Rollout(RolloutStates.RollingBack);
        rollout.RollbackStepIndex = 0;

        Assert.Equal(inPlace, RolloutTraffic.InPlace(rollout, Plan, Canary(liveWeight)));
    }

    [Fact]
    public void Promoted_IsInPlaceOnlyWhenTheCandidateServesAloneAndIsNoLongerACandidate()
    {
        var rollout = PolicyFixtures.Rollout(RolloutStates.Promoted, stepIndex: 1);

        Assert.True(RolloutTraffic.InPlace(rollout, Plan, Single(3)));
        Assert.False(RolloutTraffic.InPlace(rollout, Plan, Canary(100))); // all traffic, but still a rollout's candidate
        Assert.False(RolloutTraffic.InPlace(rollout, Plan, Canary(10)));
    }

    [Fact]
    public void Shadowing_IsInPlaceOnlyWhileMirroringTheCandidate()
    {
        var rollout = PolicyFixtures.Rollout(RolloutStates.Shadowing);
        var plan = Plan with { Strategy = RolloutStrategy.Shadow, ShadowShare = 0.2 };

        Assert.True(RolloutTraffic.InPlace(rollout, plan, RoutingTable.Shadowed("ctr-ranker", 2, 3, 0.2, 4).Value!));
        Assert.False(RolloutTraffic.InPlace(rollout, plan, Single(2)));
    }

    [Fact]
    public void Aborted_AsksNothingOfTheTraffic() =>
        Assert.True(RolloutTraffic.InPlace(PolicyFixtures.Rollout(RolloutStates.Aborted), Plan, Canary(10)));

    private static RoutingTable Canary(double weight) => weight <= 0 ? Single(2) : RoutingTable.Canary("ctr-ranker", 2, 3, weight, 4).Value!;

    private static RoutingTable Single(int version) => RoutingTable.Single("ctr-ranker", version, 4).Value!;
}
