using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;

using static ModelOps.Tests.Rollouts.Engine.PolicyFixtures;

namespace ModelOps.Tests.Rollouts.Engine;

public sealed class RolloutPolicyTests
{
    [Fact]
    public void Next_HardGuardrailSustained_RollsBackWithTheVerdictsAndWhenTheBreachBegan()
    {
        var breachedSince = Start.AddSeconds(30);
        var verdicts = new[] { Verdict(VerdictStatus.Fail, sustained: true, breachedSince), Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Pass) };

        var action = RolloutPolicy.Next(Rollout(), Plan(), verdicts, [], Start.AddSeconds(60));

        var rollback = Assert.IsType<RolloutAction.Rollback>(action);
        Assert.Equal((RollbackTrigger.Kinds.Hard, RolloutEvaluator.Actor, breachedSince), (rollback.Trigger.Kind, rollback.Trigger.Actor, rollback.Trigger.FirstFailingAt));
        Assert.Same(verdicts, rollback.Trigger.Verdicts);
    }

    [Fact]
    public void Next_HardGuardrailFailingButNotYetSustained_DoesNothing()
    {
        var verdicts = new[] { Verdict(VerdictStatus.Fail), Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Pass) };

        Assert.IsType<RolloutAction.None>(RolloutPolicy.Next(Rollout(), Plan(), verdicts, [], Start.AddSeconds(5)));
    }

    [Fact]
    public void Next_SoftGuardrailSustained_RaisesAnApprovalNamingTheGuardrailAndStep()
    {
        var verdicts = new[] { Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Fail, sustained: true), Verdict(VerdictStatus.Pass) };

        var action = RolloutPolicy.Next(Rollout(), Plan(), verdicts, [], Start.AddSeconds(60));

        var raise = Assert.IsType<RolloutAction.RaiseApproval>(action);
        var evidence = Assert.IsType<GuardrailEvidence>(raise.Request.Evidence);
        Assert.Equal(("guardrail", 1, 0), (raise.Request.Kind, evidence.Guardrail, evidence.Step));
    }

    [Fact]
    public void Next_SoftGuardrailContinuedOnThisStep_IsNotRaisedAgainAndDoesNotHoldTheStepBack()
    {
        var verdicts = new[] { Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Fail, sustained: true), Verdict(VerdictStatus.Pass) };
        var continued = Approval("guardrail", ApprovalStatuses.Continued, JudgeEvidence(guardrail: 1, step: 0));

        var action = RolloutPolicy.Next(Rollout(), Plan(), verdicts, [continued], Start.AddSeconds(61));

        Assert.Equal(new RolloutAction.Advance(0), action);
    }

    [Fact]
    public void Next_SoftGuardrailContinuedOnAnEarlierStep_IsRaisedAgain()
    {
        var verdicts = new[] { Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Fail, sustained: true), Verdict(VerdictStatus.Pass) };
        var continued = Approval("guardrail", ApprovalStatuses.Continued, JudgeEvidence(guardrail: 1, step: 0));

        var action = RolloutPolicy.Next(Rollout(stepIndex: 1), Plan(), verdicts, [continued], Start.AddSeconds(61));

        Assert.IsType<RolloutAction.RaiseApproval>(action);
    }

    [Fact]
    public void Next_InsufficientDataPastTheProgressDeadline_RaisesAnApprovalSayingWhatIsNeeded()
    {
        var shortOfData = Verdict(VerdictStatus.InsufficientData) with { SamplesNeeded = new SampleCounts(400, 400), EtaSeconds = 900 };
        var verdicts = new[] { shortOfData, Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Pass) };

        var early = RolloutPolicy.Next(Rollout(), Plan(), verdicts, [], Start.AddSeconds(119));
        var late = RolloutPolicy.Next(Rollout(), Plan(), verdicts, [], Start.AddSeconds(120));

        Assert.IsType<RolloutAction.None>(early);
        var raise = Assert.IsType<RolloutAction.RaiseApproval>(late);
        Assert.Equal("progressDeadline", raise.Request.Kind);
        Assert.Contains("400 baseline", raise.Request.Reason, StringComparison.Ordinal);
        Assert.Contains("about 900 s", raise.Request.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Next_ProgressDeadlineContinued_CountsAgainFromTheDecision()
    {
        var verdicts = new[] { Verdict(VerdictStatus.InsufficientData), Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Pass) };
        var continued = Approval("progressDeadline", ApprovalStatuses.Continued, "[]");
        continued.DecidedAt = Start.AddSeconds(130);

        Assert.IsType<RolloutAction.None>(RolloutPolicy.Next(Rollout(), Plan(), verdicts, [continued], Start.AddSeconds(200)));
        Assert.IsType<RolloutAction.RaiseApproval>(RolloutPolicy.Next(Rollout(), Plan(), verdicts, [continued], Start.AddSeconds(250)));
    }

    [Fact]
    public void Next_SegmentedKpiPassingPooledButMarginalInOneSegment_HoldsTheStepAndTheDeadlineNamesTheSegment()
    {
        // The night looks 9 % worse than the baseline, not yet confirmed; the whole day passes.
        static SegmentFigures Figures(string segment, VerdictStatus status, double effect) =>
            new(segment, status, 0.25, 0.25 * (1 + effect), effect, effect - 0.1, effect + 0.1, 0.2, 0.0005, new SampleCounts(9_000, 9_000));
        var kpi = Verdict(VerdictStatus.Pass) with
        {
            Metric = GuardrailMetric.Kpi,
            Segments = new SegmentedKpi("hour", 5, null, Figures("pooled", VerdictStatus.Pass, -0.01),
                [Figures("feature.hour=< 6", VerdictStatus.Marginal, -0.09), Figures("feature.hour=[6, 12)", VerdictStatus.Pass, 0.01)]),
        };
        var verdicts = new[] { Verdict(VerdictStatus.Pass), kpi, Verdict(VerdictStatus.Pass) };

        Assert.IsType<RolloutAction.None>(RolloutPolicy.Next(Rollout(), Plan(), verdicts, [], Start.AddSeconds(60)));
        var asked = Assert.IsType<RolloutAction.RaiseApproval>(RolloutPolicy.Next(Rollout(), Plan(), verdicts, [], Start.AddSeconds(120)));
        Assert.Contains("kpi marginal in segment feature.hour=< 6", asked.Request.Reason, StringComparison.Ordinal);

        // Once that segment is back inside the bound the step advances as before.
        var settled = kpi with { Segments = kpi.Segments! with { Segments = [Figures("feature.hour=< 6", VerdictStatus.Pass, -0.01)] } };
        Assert.Equal(new RolloutAction.Advance(0), RolloutPolicy.Next(Rollout(), Plan(), [verdicts[0], settled, verdicts[2]], [], Start.AddSeconds(60)));
    }

    [Fact]
    public void Next_BakedWithEveryGuardrailPassing_Advances_ButNotBeforeTheBakeTime()
    {
        var verdicts = new[] { Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Pass) };

        Assert.IsType<RolloutAction.None>(RolloutPolicy.Next(Rollout(), Plan(), verdicts, [], Start.AddSeconds(59)));
        Assert.Equal(new RolloutAction.Advance(0), RolloutPolicy.Next(Rollout(), Plan(), verdicts, [], Start.AddSeconds(60)));
    }

    [Fact]
    public void Next_PausedOrAwaitingApproval_NeverAdvancesButAHardFailureStillRollsBack()
    {
        var passing = new[] { Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Pass) };
        var failing = new[] { Verdict(VerdictStatus.Fail, sustained: true), Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Pass) };

        Assert.IsType<RolloutAction.None>(RolloutPolicy.Next(Rollout(RolloutStates.Paused), Plan(), passing, [], Start.AddHours(1)));
        Assert.IsType<RolloutAction.Rollback>(RolloutPolicy.Next(Rollout(RolloutStates.AwaitingApproval), Plan(), failing, [], Start.AddHours(1)));
    }

    [Fact]
    public void Next_MarginalGuardrail_HoldsTheStepUntilTheDeadlineThenAsks_ButAMarginalSampleRatioDoesNot()
    {
        var marginalKpi = new[] { Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Marginal), Verdict(VerdictStatus.Pass) };
        var marginalSrm = new[] { Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Marginal) };

        Assert.IsType<RolloutAction.None>(RolloutPolicy.Next(Rollout(), Plan(), marginalKpi, [], Start.AddSeconds(60)));
        var asked = Assert.IsType<RolloutAction.RaiseApproval>(RolloutPolicy.Next(Rollout(), Plan(), marginalKpi, [], Start.AddSeconds(120)));
        Assert.Contains("marginal", asked.Request.Reason, StringComparison.Ordinal);
        Assert.Equal(new RolloutAction.Advance(0), RolloutPolicy.Next(Rollout(), Plan(), marginalSrm, [], Start.AddSeconds(60)));
    }

    [Fact]
    public void Next_StagedRollbackHoldPassed_StepsDown()
    {
        var rollout = Rollout(RolloutStates.RollingBack);
        rollout.RollbackStepIndex = 0;
        var verdicts = new[] { Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Pass) };

        Assert.IsType<RolloutAction.None>(RolloutPolicy.Next(rollout, Plan(), verdicts, [], Start.AddSeconds(29)));
        Assert.Equal(new RolloutAction.StepDown(0), RolloutPolicy.Next(rollout, Plan(), verdicts, [], Start.AddSeconds(30)));
    }

    [Fact]
    public void Next_ShadowingWithSampleRatioShortOfData_DoesNotCountAgainstTheDeadline()
    {
        var verdicts = new[] { Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.Pass), Verdict(VerdictStatus.InsufficientData) };

        Assert.IsType<RolloutAction.None>(RolloutPolicy.Next(Rollout(RolloutStates.Shadowing), Plan(), verdicts, [], Start.AddHours(1)));
    }
}
