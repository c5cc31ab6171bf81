using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Metrics;
using ModelOps.Web.Rollouts;

namespace ModelOps.Tests.Console;

/// <summary>The approval's evidence chart over the real serving metrics store, on a fake clock.</summary>
public sealed class ApprovalChartTests
{
    private static readonly DateTimeOffset RaisedAt = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Svg_NoTrafficInRange_IsNull()
    {
        var time = new FakeTimeProvider(RaisedAt);
        var metrics = new ServingMetricsStore(Options.Create(new ServingMetricsOptions()), time, new Random(7));

        Assert.Null(ApprovalChart.Svg(metrics, Item("latency_p95"), RaisedAt.AddSeconds(60)));
    }

    [Fact]
    public void Svg_BothArmsServedAroundTheTrigger_DrawsTheTrippedMetricPerArm()
    {
        var time = new FakeTimeProvider(RaisedAt.AddSeconds(-120));
        var metrics = new ServingMetricsStore(Options.Create(new ServingMetricsOptions()), time, new Random(7));
        for (var second = 0; second < 180; second++)
        {
            metrics.RecordRequest("ctr-ranker", 2, Arm.Baseline, TimeSpan.FromMilliseconds(20), RequestStatus.Ok);
            metrics.RecordRequest("ctr-ranker", 3, Arm.Candidate, TimeSpan.FromMilliseconds(400), RequestStatus.Ok);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var svg = ApprovalChart.Svg(metrics, Item("latency_p95"), time.GetUtcNow());

        Assert.NotNull(svg);
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("Latency p95", svg, StringComparison.Ordinal);
        Assert.Contains("candidate v3", svg, StringComparison.Ordinal);
        Assert.Contains("baseline v2", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Svg_ZeroIsTheTrigger_AxisAndLineSaySoNotRollbackDecision()
    {
        var time = new FakeTimeProvider(RaisedAt.AddSeconds(-60));
        var metrics = new ServingMetricsStore(Options.Create(new ServingMetricsOptions()), time, new Random(7));
        for (var second = 0; second < 120; second++)
        {
            metrics.RecordRequest("ctr-ranker", 2, Arm.Baseline, TimeSpan.FromMilliseconds(20), RequestStatus.Ok);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var svg = ApprovalChart.Svg(metrics, Item("latency_p95"), time.GetUtcNow());

        Assert.NotNull(svg);
        Assert.Contains("seconds from the trigger", svg, StringComparison.Ordinal);
        Assert.Contains("trigger raised", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("rollback decision", svg, StringComparison.Ordinal);
    }

    private static ApprovalItem Item(string metric)
    {
        var verdict = new VerdictRecord(GuardrailMetric.LatencyP95, VerdictStatus.Fail, 20, 400, 0.3, null, 0.05, 19, 10, 30, 0.001,
            RaisedAt.AddSeconds(-10), new SampleCounts(100, 100), null, null, true, "slow");
        var approval = new RolloutApproval
        {
            Id = "ap-1",
            RolloutId = "ro-1",
            Kind = ApprovalKinds.Guardrail,
            Reason = "slow",
            RaisedBy = RolloutEvaluator.Actor,
            RaisedAt = RaisedAt,
            DueAt = RaisedAt.AddMinutes(15),
            Status = ApprovalStatuses.Pending,
            EvidenceJson = JsonSerializer.Serialize(new GuardrailEvidence(0, metric, 0, verdict), JudgeRecord.JsonOptions),
        };
        return new ApprovalItem(ApprovalView.From(approval), "ro-1", "ctr-ranker", 3, 2, RolloutStates.Progressing, "operator", GuardrailEvidence.Read(approval.EvidenceJson));
    }
}
