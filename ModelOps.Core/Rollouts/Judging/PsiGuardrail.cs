using System.Collections.Immutable;
using MathNet.Numerics.Distributions;

namespace ModelOps.Core.Rollouts.Judging;

/// <summary>
/// score_psi (the candidate's output histogram vs the baseline's) and drift_psi (the candidate's
/// input feature vs the reference taken before the rollout). PSI = Σ (c − b)·ln(c/b) over bin
/// shares floored at 10⁻⁴. PSI has no always-valid interval, so it fails only when a χ² test of
/// homogeneity also rejects at α·6/(π²·t²) on the t-th look: those levels sum to α over all looks
/// (Bonferroni over infinitely many looks), so the gate is valid however often it is run.
/// </summary>
internal static class PsiGuardrail
{
    private const double Floor = 1e-4;

    public static GuardrailState Accumulate(GuardrailSpec spec, Evaluation evaluation, GuardrailState state)
    {
        if (spec.Metric == GuardrailMetric.DriftPsi)
        {
            var bins = spec.Feature is not null ? evaluation.Candidate.Features?.GetValueOrDefault(spec.Feature)?.Bins : null;
            return state with { CandidateBins = Add(state.CandidateBins, bins) };
        }

        return state with
        {
            CandidateBins = Add(state.CandidateBins, evaluation.Candidate.ScoreBins),
            BaselineBins = Add(state.BaselineBins, evaluation.Baseline?.ScoreBins),
        };
    }

    private static ImmutableArray<long> Add(ImmutableArray<long> total, IReadOnlyList<long>? bins)
    {
        if (bins is null || bins.Count == 0)
        {
            return total;
        }

        var sum = new long[Math.Max(total.Length, bins.Count)];
        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] = (i < total.Length ? total[i] : 0) + (i < bins.Count ? bins[i] : 0);
        }

        return [.. sum];
    }

    public static Assessment Assess(GuardrailSpec spec, GuardrailState state, Evaluation evaluation, double theta, double alpha)
    {
        IReadOnlyList<long> reference = spec.Metric == GuardrailMetric.DriftPsi
            ? (spec.Feature is not null ? evaluation.References.FeatureReferenceBins.GetValueOrDefault(spec.Feature) : null) ?? []
            : state.BaselineBins;
        var candidate = state.CandidateBins;
        long nb = reference.Sum(), nc = candidate.Sum();
        var samples = new SampleCounts(nb, nc);
        var what = spec.Metric == GuardrailMetric.DriftPsi ? $"Drift of {spec.Feature} vs its pre-rollout reference" : "The candidate's score distribution vs the baseline's";
        if (nb < spec.MinSamples || nc < spec.MinSamples || reference.Count != candidate.Length)
        {
            return Assessment.Insufficient(samples, () => $"{what}: {nc} candidate and {nb} reference observations on matching bins, {spec.MinSamples} needed per side.");
        }

        var (psi, chiSquare, freedom) = Compare(reference, candidate, nb, nc);
        var p = freedom > 0 ? 1 - ChiSquared.CDF(freedom, chiSquare) : 1;
        var adjusted = Math.Min(1, p * Math.PI * Math.PI * state.Looks * state.Looks / 6);
        var status = psi <= theta ? VerdictStatus.Pass : adjusted <= alpha ? VerdictStatus.Fail : VerdictStatus.Marginal;
        string reason() => $"{what}: PSI {Formats.Number(psi)} against a threshold of {Formats.Number(theta)}; χ² {Formats.Number(chiSquare)} on {freedom} degrees of freedom, look-adjusted p {Formats.Number(adjusted)}: {Formats.Verdict(status)}.";
        return new Assessment(status, psi - theta, null, psi, psi, null, adjusted, samples, null, null, reason);
    }

    /// <summary>PSI and Pearson's χ² of homogeneity for two histograms on the same bins (bins empty on both sides dropped).</summary>
    public static (double Psi, double ChiSquare, int Freedom) Compare(IReadOnlyList<long> baseline, IReadOnlyList<long> candidate, long nb, long nc)
    {
        double psi = 0, chi = 0;
        var used = 0;
        for (var i = 0; i < baseline.Count; i++)
        {
            var b = Math.Max((double)baseline[i] / nb, Floor);
            var c = Math.Max((double)candidate[i] / nc, Floor);
            psi += (c - b) * Math.Log(c / b);
            var column = baseline[i] + candidate[i];
            if (column == 0)
            {
                continue;
            }

            used++;
            var expectedB = (double)column * nb / (nb + nc);
            var expectedC = (double)column * nc / (nb + nc);
            chi += (Math.Pow(baseline[i] - expectedB, 2) / expectedB) + (Math.Pow(candidate[i] - expectedC, 2) / expectedC);
        }

        return (psi, chi, Math.Max(0, used - 1));
    }
}
