using ModelOps.Core.GameDays;

namespace ModelOps.Tests.GameDays;

public sealed class GameDayScorecardTests
{
    private static readonly GameDayTargets Targets = new(DetectionSeconds: 33, DecisionSeconds: 8, RestoreSeconds: 1, Verification: "recovered");

    [Fact]
    public void Score_EveryTimeWithinTargetAndRecovered_FourOfFour()
    {
        var score = GameDayScorecard.Score(Drill("finished", detection: 12, decision: 4, restore: 0.05, incident: "inc-1"), Targets, "recovered");

        Assert.Equal("4/4", score.Summary);
        Assert.All(score.Items, i => Assert.Equal(GameDayScorecard.Pass, i.Status));
    }

    [Fact]
    public void Score_SlowRestoreAndVerificationPending_TwoOfFourWithVerificationPending()
    {
        var score = GameDayScorecard.Score(Drill("finished", detection: 12, decision: 4, restore: 1.5, incident: "inc-1"), Targets, "pending");

        Assert.Equal("2/4", score.Summary);
        Assert.Equal(["pass", "pass", "fail", "pending"], score.Items.Select(i => i.Status));
    }

    [Fact]
    public void Score_FinishedWithoutARollback_MissingTimesFail()
    {
        var score = GameDayScorecard.Score(Drill("finished", detection: null, decision: null, restore: null, incident: null), Targets, GameDayResult.NoVerification);

        Assert.Equal("0/4", score.Summary);
        Assert.All(score.Items, i => Assert.Equal(GameDayScorecard.Fail, i.Status));
    }

    [Fact]
    public void Score_StillRunning_MissingTimesArePending()
    {
        var score = GameDayScorecard.Score(Drill("running", detection: 12, decision: null, restore: null, incident: null), Targets, "pending");

        Assert.Equal(["pass", "pending", "pending", "pending"], score.Items.Select(i => i.Status));
    }

    [Theory]
    [InlineData(20.0, null, null, 13.0, 8.0)]    // latency: p95 (window 10 + sustain 3) is the quickest watcher
    [InlineData(null, 0.5, null, 21.0, 8.0)]     // errors: error_rate (18 + 3)
    [InlineData(null, null, 0.8, 93.0, 8.0)]     // KPI: kpi (90 + 3)
    public void Targets_DrillPlanAndFault_QuickestGuardrailWatchingTheFault(double? latency, double? errors, double? kpi, double detection, double decision)
    {
        var plan = GameDayPlans.Build("ctr-ranker", 3, new Core.Rollouts.Plans.RolloutRequest(
            null, null, null, null,
            [
                new("latency_p95", 0.3, null, 10, 3, "hard", null, null, null, null, null),
                .. GameDayPlans.DrillGuardrails,
            ],
            null, null, null, null, null, null, null), champion: 2).Value!; // A valid plan: the default drill plan with one guardrail added.

        var targets = GameDayTargets.From(plan, new GameDayFault(latency, errors, kpi));

        Assert.Equal((detection, decision), (targets.DetectionSeconds, targets.DecisionSeconds));
    }

    private static GameDay Drill(string state, double? detection, double? decision, double? restore, string? incident) => new()
    {
        Id = "gd-1",
        Model = "ctr-ranker",
        Version = 3,
        FaultJson = "{}",
        TargetsJson = "{}",
        RolloutId = "ro-1",
        State = state,
        StartedBy = "operator",
        DetectionSeconds = detection,
        DecisionSeconds = decision,
        RestoreSeconds = restore,
        IncidentId = incident,
    };
}
