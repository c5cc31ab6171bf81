using MathNet.Numerics.Distributions;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// The information limit of a row: t* = (z₀.₉₉ + z₀.₈)² · (v_c/r_c + v_b/r_b) / (Δ − θ)², with v the
/// per-sample variance of the statistic the judge tests, r the usable samples per second per arm
/// after the store's cap, and Δ − θ the true effect's distance beyond the threshold, all in the
/// tested statistic's units (latency: the share of requests beyond +θ of the baseline's quantile;
/// KPI: the contrast mean_c − (1 − θ)·mean_b; SRM: the candidate's share of requests).
/// </summary>
public sealed record InformationLimit(double Seconds, double CandidateVariance, double CandidateRate, double BaselineVariance, double BaselineRate, double Gap)
{
    private static readonly double Z = Normal.InvCDF(0, 1, 0.99) + Normal.InvCDF(0, 1, 0.8);

    public static InformationLimit? Of(Scenario row, GuardrailSpec? guardrail)
    {
        var w = row.CanaryWeight;
        var s = row.Shift;
        var rc = w * SimulatedWorld.RequestsPerSecond;
        var rb = (1 - w) * SimulatedWorld.RequestsPerSecond;
        switch (row.Target)
        {
            case GuardrailMetric.LatencyP95 or GuardrailMetric.LatencyP99 when guardrail?.Threshold is { } theta:
                var tail = row.Target == GuardrailMetric.LatencyP99 ? 0.01 : 0.05;
                var z = Normal.InvCDF(0, 1, 1 - tail);
                double Beyond(double scale) => 1 - Normal.CDF(0, 1, z + ((Math.Log(1 + theta) - Math.Log(scale)) / SimulatedWorld.LatencySigma));
                var pc = ((1 - s.TailShare) * Beyond(s.LatencyScale)) + (s.TailShare * Beyond(s.LatencyScale * s.TailFactor));
                return Make(pc * (1 - pc), Capped(rc), tail * (1 - tail), Capped(rb), pc - tail);
            case GuardrailMetric.ErrorRate or GuardrailMetric.TimeoutRate when guardrail?.Threshold is { } theta:
                var pb = row.Target == GuardrailMetric.ErrorRate ? SimulatedWorld.ErrorRate : SimulatedWorld.TimeoutRate;
                var increase = row.Target == GuardrailMetric.ErrorRate ? s.ErrorIncrease : s.TimeoutIncrease;
                return Make((pb + increase) * (1 - pb - increase), rc, pb * (1 - pb), rb, increase - theta);
            case GuardrailMetric.Kpi when guardrail?.Threshold is { } theta:
                var mb = SimulatedWorld.ClickThrough * SimulatedWorld.AttributedClickShare;
                var mc = mb * s.KpiFactor;
                var keep = 1 - theta;
                var share = s.KpiInOneSegment ? 1.0 / SimulatedWorld.Segments : 1; // the harmed segment's own traffic
                return Make(mc * (1 - mc), rc * share, keep * keep * mb * (1 - mb), rb * share, (keep * mb) - mc);
            case GuardrailMetric.Srm:
                // One statistic, the candidate's share of all requests: its variance w(1 − w) per request.
                return Make(w * (1 - w), SimulatedWorld.RequestsPerSecond, 0, 1, w * s.FallbackShare);
            default:
                return null;
        }
    }

    private static InformationLimit Make(double vc, double rc, double vb, double rb, double gap) =>
        new(Z * Z * ((vc / rc) + (vb / rb)) / (gap * gap), vc, rc, vb, rb, gap);

    /// <summary>Usable latency samples per second: E[min(Poisson(λ), 64)].</summary>
    private static double Capped(double lambda)
    {
        double expected = 0, below = 0;
        for (var k = 0; k < SimulatedWorld.SamplesPerBucket; k++)
        {
            var p = Poisson.PMF(lambda, k);
            expected += k * p;
            below += p;
        }

        return expected + (SimulatedWorld.SamplesPerBucket * (1 - below));
    }
}
