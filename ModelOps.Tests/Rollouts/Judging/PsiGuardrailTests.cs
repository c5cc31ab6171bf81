using MathNet.Numerics.Distributions;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Tests.Rollouts.Judging;

public sealed class PsiGuardrailTests
{
    [Fact]
    public void Psi_KnownHistograms_MatchesHandComputation()
    {
        // Σ (c − b)·ln(c/b) for b = ¼ each, c = 0.1, 0.2, 0.3, 0.4.
        var (psi, _, _) = PsiGuardrail.Compare([250, 250, 250, 250], [100, 200, 300, 400], 1000, 1000);

        Assert.Equal(0.2282174096, psi, 9);
    }

    [Fact]
    public void ChiSquare_KnownSplit_MatchesHandComputation()
    {
        // 2×2: 50/50 vs 30/70, expected 40/60 in each row: 2·(10²/40 + 10²/60) = 8.333.
        var (_, chi, freedom) = PsiGuardrail.Compare([50, 50], [30, 70], 100, 100);

        Assert.Equal(8.3333333333, chi, 9);
        Assert.Equal(1, freedom);
    }

    [Fact]
    public void SampleRatio_KnownSplit_IsTheChiSquareOfTheSplit()
    {
        // 520 of 1,000 requests where the weight promises 500: χ² = 2·20²/500 = 1.6 (p = 0.206).
        var verdict = GuardrailJudge.Evaluate(GuardrailSpec.SampleRatio(0.01),
            JudgeStreams.Look(0, new ArmMeasurements(480, 0, 0, []), new ArmMeasurements(520, 0, 0, []), weight: 0.5), GuardrailState.Initial).Verdict;

        var chiSquare = verdict.Effect!.Value * verdict.Effect.Value / (0.5 * 0.5 / 1000);
        Assert.Equal(1.6, chiSquare, 9);
        Assert.Equal(0.2059, 1 - ChiSquared.CDF(1, chiSquare), 4);
        Assert.NotEqual(VerdictStatus.Fail, verdict.Status); // 2 pp off a 50 % weight is no evidence on 1,000 requests
    }

    [Fact]
    public void DriftPsi_LargeButOnFewSamples_IsMarginalNotFail()
    {
        var spec = new GuardrailSpec(GuardrailMetric.DriftPsi, Threshold: 0.2, Feature: "f0", MinSamples: 10);
        var references = RolloutReferences.None with
        {
            FeatureReferenceBins = new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal) { ["f0"] = [1000, 1000, 1000, 1000] },
        };
        var candidate = new ArmMeasurements(12, 0, 0, [], Features: new Dictionary<string, FeatureCounts>(StringComparer.Ordinal) { ["f0"] = new(12, 0, [6, 4, 1, 1]) });

        var verdict = GuardrailJudge.Evaluate(spec, JudgeStreams.Look(0, null, candidate, weight: 1) with { References = references }, GuardrailState.Initial).Verdict;

        Assert.True(verdict.Effect > 0.2);
        Assert.Equal(VerdictStatus.Marginal, verdict.Status);
    }

    [Fact]
    public void DriftPsi_LargeOnManySamples_Fails()
    {
        var spec = new GuardrailSpec(GuardrailMetric.DriftPsi, Threshold: 0.2, Feature: "f0");
        var references = RolloutReferences.None with
        {
            FeatureReferenceBins = new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal) { ["f0"] = [1000, 1000, 1000, 1000] },
        };
        var candidate = new ArmMeasurements(4000, 0, 0, [], Features: new Dictionary<string, FeatureCounts>(StringComparer.Ordinal) { ["f0"] = new(4000, 0, [2000, 1000, 500, 500]) });

        var verdict = GuardrailJudge.Evaluate(spec, JudgeStreams.Look(0, null, candidate, weight: 1) with { References = references }, GuardrailState.Initial).Verdict;

        Assert.Equal(VerdictStatus.Fail, verdict.Status);
    }
}
