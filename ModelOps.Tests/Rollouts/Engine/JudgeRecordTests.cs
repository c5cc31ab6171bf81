using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Tests.Rollouts.Judging;

namespace ModelOps.Tests.Rollouts.Engine;

/// <summary>The stored judge state continues the same sequential test after a restart: same verdicts as without one.</summary>
public sealed class JudgeRecordTests
{
    [Fact]
    public void Read_WrittenMidRollout_ContinuesWithTheSameVerdictsAsAnUninterruptedJudge()
    {
        var spec = new GuardrailSpec(GuardrailMetric.LatencyP95, Threshold: 0.2, SustainSeconds: 2);
        var random = new Random(7);
        var evaluations = Enumerable.Range(0, 60)
            .Select(i => JudgeStreams.Look(i, JudgeStreams.Arm(random, 400, 0.01), JudgeStreams.Arm(random, 100, 0.01, latencyScale: 1.5)))
            .ToList();
        var uninterrupted = GuardrailState.Initial;
        var restarted = GuardrailState.Initial;
        Verdict? expected = null, actual = null;
        for (var i = 0; i < evaluations.Count; i++)
        {
            var a = GuardrailJudge.Evaluate(spec, evaluations[i], uninterrupted);
            (uninterrupted, expected) = (a.State, a.Verdict);
            var b = GuardrailJudge.Evaluate(spec, evaluations[i], restarted);
            var stored = new JudgeRecord(evaluations[i].Now, [b.State], [VerdictRecord.From(b.Verdict)]).Write();
            (restarted, actual) = (JudgeRecord.Read(stored)!.States[0], b.Verdict);
        }

        Assert.Equal(VerdictStatus.Fail, expected!.Status);
        Assert.Equal((expected.Status, expected.Effect, expected.PValue, expected.Samples), (actual!.Status, actual.Effect, actual.PValue, actual.Samples));
        Assert.Equal(VerdictRecord.From(expected).Reason, JudgeRecord.Read(new JudgeRecord(default, [restarted], [VerdictRecord.From(actual)]).Write())!.Verdicts[0].Reason);
    }

    [Fact]
    public void Read_Unreadable_IsNullSoTheTestStartsAfresh()
    {
        Assert.Null(JudgeRecord.Read("{not json"));
        Assert.Null(JudgeRecord.Read(null));
    }
}
