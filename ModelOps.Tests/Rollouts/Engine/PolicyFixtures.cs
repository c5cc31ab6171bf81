using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;

namespace ModelOps.Tests.Rollouts.Engine;

/// <summary>A plan (latency hard, KPI soft, sample ratio), a rollout, verdicts and approvals, for the policy's tests.</summary>
internal static class PolicyFixtures
{
    public static readonly DateTimeOffset Start = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    public static RolloutPlan Plan(IReadOnlyList<RolloutStep>? steps = null) => new(
        "ctr-ranker", 3, RolloutStrategy.Canary,
        steps ?? [new RolloutStep(10, 60, []), new RolloutStep(100, 60, [])],
        [
            new GuardrailSpec(GuardrailMetric.LatencyP95, Threshold: 0.3, SustainSeconds: 10, Severity: GuardrailSeverity.Hard),
            new GuardrailSpec(GuardrailMetric.Kpi, Threshold: 0.02, SustainSeconds: 10, Severity: GuardrailSeverity.Soft),
            GuardrailSpec.SampleRatio(),
        ],
        2, "ml-platform", 300, true, [new RollbackStep(5, 30), new RollbackStep(0, 0)], 120, 600, 0);

    public static Rollout Rollout(string state = RolloutStates.Progressing, int stepIndex = 0) => new()
    {
        Id = "ro-test",
        Model = "ctr-ranker",
        CandidateVersion = 3,
        BaselineVersion = 2,
        Strategy = "Canary",
        State = state,
        StepIndex = stepIndex,
        StepStartedAt = Start,
        StartedAt = Start,
        PlanJson = "{}",
        Owner = "ml-platform",
        StartedBy = "operator",
    };

    public static VerdictRecord Verdict(VerdictStatus status, bool sustained = false, DateTimeOffset? breachedSince = null) =>
        new(GuardrailMetric.LatencyP95, status, 10, 12, 0.3, null, 0.005, 0.2, 0.1, 0.3, 0.01, breachedSince, new SampleCounts(500, 500), null, null, sustained, "test verdict");

    public static string JudgeEvidence(int guardrail, int step) =>
        System.Text.Json.JsonSerializer.Serialize(new GuardrailEvidence(guardrail, "kpi", step, Verdict(VerdictStatus.Fail, sustained: true)), JudgeRecord.JsonOptions);

    public static RolloutApproval Approval(string kind, string status, string evidence) => new()
    {
        Id = $"ap-{kind}",
        RolloutId = "ro-test",
        Kind = kind,
        Reason = "test",
        EvidenceJson = evidence,
        RaisedBy = RolloutEvaluator.Actor,
        RaisedAt = Start.AddSeconds(20),
        DueAt = Start.AddSeconds(620),
        Status = status,
    };
}
