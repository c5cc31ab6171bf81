using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Tests.Rollouts.Judging;

public sealed class JudgeStratificationTests
{
    [Fact]
    public void Judge_IdenticalArmsAcrossStepsWithDifferentWeightsAndWorlds_FindsNoEffect()
    {
        // Step 0: 5 % canary while the world fails 10 % of requests; step 1: 50 % canary while it
        // fails 1 %. Both arms are identical within each step, but pooled naively the candidate
        // (mostly in the good hour) would look 4 pp better than the baseline (mostly in the bad one).
        var spec = new GuardrailSpec(GuardrailMetric.ErrorRate, Threshold: 0.005, Alpha: 0.01);
        var state = GuardrailState.Initial;
        Verdict? verdict = null;
        for (var i = 0; i < 20; i++)
        {
            var step = i < 10 ? 0 : 1;
            var look = step == 0
                ? new Evaluation(JudgeStreams.Start.AddSeconds(2 * (i + 1)), 0, 0.05, new ArmMeasurements(9500, 950, 0, []), new ArmMeasurements(500, 50, 0, []), RolloutReferences.None)
                : new Evaluation(JudgeStreams.Start.AddSeconds(2 * (i + 1)), 1, 0.5, new ArmMeasurements(5000, 50, 0, []), new ArmMeasurements(5000, 50, 0, []), RolloutReferences.None);
            var judgement = GuardrailJudge.Evaluate(spec, look, state);
            state = judgement.State;
            verdict = judgement.Verdict;
        }

        Assert.Equal(2, state.Strata.Length);
        Assert.Equal(0, verdict!.Effect!.Value, 12);
        Assert.Equal(VerdictStatus.Pass, verdict.Status);
        Assert.Equal(verdict.Baseline!.Value, verdict.Candidate!.Value, 12); // shown step-weighted, never the pooled 6.9 % vs 1.8 %
    }
}
