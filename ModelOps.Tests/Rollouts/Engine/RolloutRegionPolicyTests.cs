using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;
using static ModelOps.Tests.Rollouts.Engine.PolicyFixtures;

namespace ModelOps.Tests.Rollouts.Engine;

/// <summary>A plan that opens regions one by one is decided on each open region's own verdicts.</summary>
public sealed class RolloutRegionPolicyTests
{
    // Step 1 opens eu alone at 10 %; step 2 opens us at 25 %; step 3 sends 100 % everywhere.
    private static readonly RolloutPlan Regional = Plan([new RolloutStep(10, 60, ["eu"]), new RolloutStep(25, 60, ["us"]), new RolloutStep(100, 60, [])]);

    private static readonly VerdictRecord[] Passing = [Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Pass)];

    [Fact]
    public void Next_HardFailureSustainedInTheOpenRegion_RollsBackNamingTheRegionWithItsVerdicts()
    {
        var eu = new[] { Verdict(VerdictStatus.Fail, sustained: true, Start.AddSeconds(20)), Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Pass) };

        var action = RolloutPolicy.Next(Rollout(), Regional, Passing, [], Start.AddSeconds(30), [Region("eu", 10, eu), Region("us", 0, Passing)]);

        var rollback = Assert.IsType<RolloutAction.Rollback>(action);
        Assert.Contains("latency_p95 in region eu failed", rollback.Trigger.Reason, StringComparison.Ordinal);
        Assert.Same(eu, rollback.Trigger.Verdicts);
    }

    [Fact]
    public void Next_PooledFailureWhileOnlyOneRegionIsOpen_IsNotActedOn()
    {
        // Pooled, the candidate serves eu only while the baseline serves every region: not comparable.
        var pooled = new[] { Verdict(VerdictStatus.Fail, sustained: true, Start), Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Fail, sustained: true, Start) };

        var action = RolloutPolicy.Next(Rollout(), Regional, pooled, [], Start.AddSeconds(30), [Region("eu", 10, Passing)]);

        Assert.IsType<RolloutAction.None>(action);
    }

    [Fact]
    public void Next_FailureInARegionNotOpenYet_IsNotActedOn()
    {
        var stale = new[] { Verdict(VerdictStatus.Fail, sustained: true, Start), Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Pass) };

        var action = RolloutPolicy.Next(Rollout(), Regional, Passing, [], Start.AddSeconds(61), [Region("eu", 10, Passing), Region("us", 0, stale)]);

        Assert.Equal(new RolloutAction.Advance(0), action);
    }

    [Fact]
    public void Next_BakedButAnOpenRegionStillShortOfData_HoldsThenAsksPastTheDeadlineNamingTheRegion()
    {
        var shortOfData = new[] { Verdict(VerdictStatus.InsufficientData), Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Pass) };
        var regions = new[] { Region("eu", 10, Passing), Region("us", 25, shortOfData) };

        var held = RolloutPolicy.Next(Rollout(stepIndex: 1), Regional, Passing, [], Start.AddSeconds(61), regions);
        var asked = RolloutPolicy.Next(Rollout(stepIndex: 1), Regional, Passing, [], Start.AddSeconds(120), regions);

        Assert.IsType<RolloutAction.None>(held);
        var raise = Assert.IsType<RolloutAction.RaiseApproval>(asked);
        Assert.Contains("latency_p95 in region us short of data", raise.Request.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Next_SoftFailureInARegion_RaisesAnApprovalNamingIt()
    {
        var us = new[] { Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Fail, sustained: true), Verdict(VerdictStatus.Pass) };

        var action = RolloutPolicy.Next(Rollout(stepIndex: 1), Regional, Passing, [], Start.AddSeconds(30), [Region("eu", 10, Passing), Region("us", 25, us)]);

        var raise = Assert.IsType<RolloutAction.RaiseApproval>(action);
        Assert.Contains("in region us", raise.Request.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Next_SameSplitEverywhere_PooledVerdictsDecideAgain()
    {
        var pooled = new[] { Verdict(VerdictStatus.Fail, sustained: true, Start), Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Pass) };

        var action = RolloutPolicy.Next(Rollout(stepIndex: 2), Regional, pooled, [], Start.AddSeconds(30), [Region("eu", 100, Passing), Region("us", 100, Passing)]);

        var rollback = Assert.IsType<RolloutAction.Rollback>(action);
        Assert.DoesNotContain("region", rollback.Trigger.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RegionWeights_EachStep_GivesEveryOpenedRegionItsOwnWeightAndNullOnceTheSplitIsUniform()
    {
        Assert.Equal(new Dictionary<string, double> { ["eu"] = 10 }, RolloutSplits.RegionWeights(Regional, 0));
        Assert.Equal(new Dictionary<string, double> { ["eu"] = 10, ["us"] = 25 }, RolloutSplits.RegionWeights(Regional, 1));
        Assert.Null(RolloutSplits.RegionWeights(Regional, 2));
        Assert.True(RolloutSplits.IsRegional(Regional));
        Assert.False(RolloutSplits.IsRegional(Plan()));
    }

    private static RegionJudgement Region(string region, double weight, IReadOnlyList<VerdictRecord> verdicts) =>
        new(region, weight, [.. Enumerable.Repeat(GuardrailState.Initial, verdicts.Count)], verdicts);
}
