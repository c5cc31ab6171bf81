using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// What the three comparators see on one guardrail at one look, from the sliding windows:
/// naive = the window value is beyond the threshold (Argo and Flagger compare this raw value;
/// Argo fails after 3 consecutive breaches); Kayenta-style = the same, and a Mann-Whitney test on
/// the window's samples (a two-proportion z test for rates, a Welch z test for the KPI, which is
/// what Mann-Whitney reduces to on 0/1 outcomes) rejects at 98 % in the harmful direction.
/// Every comparator waits for 100 samples per arm in the window, like the judge's minSamples.
/// </summary>
internal static class Comparators
{
    private const double KayentaZ = 2.3263478740408408; // two-sided 98 %
    private const int MinSamples = 100;

    public static (bool Naive, bool Kayenta) Check(GuardrailMetric metric, double threshold, ArmWindows baseline, ArmWindows candidate)
    {
        switch (metric)
        {
            case GuardrailMetric.LatencyP95 or GuardrailMetric.LatencyP99:
                if (baseline.LatencyCount < MinSamples || candidate.LatencyCount < MinSamples)
                {
                    return (false, false);
                }

                var q = metric == GuardrailMetric.LatencyP99 ? 0.99 : 0.95;
                var beyond = (candidate.Quantile(q) / baseline.Quantile(q)) - 1 > threshold;
                return (beyond, beyond && MannWhitneyZ(baseline, candidate) > KayentaZ);
            case GuardrailMetric.ErrorRate or GuardrailMetric.TimeoutRate or GuardrailMetric.NullRate:
                var (nb, eb, nc, ec) = metric switch
                {
                    GuardrailMetric.ErrorRate => (baseline.Requests, baseline.Errors, candidate.Requests, candidate.Errors),
                    GuardrailMetric.TimeoutRate => (baseline.Requests, baseline.Timeouts, candidate.Requests, candidate.Timeouts),
                    _ => (baseline.Observations, baseline.Nulls, candidate.Observations, candidate.Nulls),
                };
                if (nb < MinSamples || nc < MinSamples)
                {
                    return (false, false);
                }

                var difference = ((double)ec / nc) - ((double)eb / nb);
                var pooled = (double)(eb + ec) / (nb + nc);
                var se = Math.Sqrt(pooled * (1 - pooled) * ((1.0 / nb) + (1.0 / nc)));
                return (difference > threshold, difference > threshold && se > 0 && difference / se > KayentaZ);
            case GuardrailMetric.Kpi:
                if (baseline.KpiCount < MinSamples || candidate.KpiCount < MinSamples)
                {
                    return (false, false);
                }

                var mb = baseline.KpiSum / baseline.KpiCount;
                var mc = candidate.KpiSum / candidate.KpiCount;
                var drop = mb > 0 ? 1 - (mc / mb) : 0;
                var seKpi = Math.Sqrt((mb * (1 - mb) / baseline.KpiCount) + (mc * (1 - mc) / candidate.KpiCount));
                return (drop > threshold, drop > threshold && seKpi > 0 && (mb - mc) / seKpi > KayentaZ);
            default:
                return (false, false);
        }
    }

    /// <summary>Mann-Whitney z of candidate over baseline from the two window histograms (ties within a 1 % bin count half).</summary>
    private static double MannWhitneyZ(ArmWindows baseline, ArmWindows candidate)
    {
        double u = 0;
        long below = 0;
        for (var b = 0; b < ArmWindows.HistogramBins; b++)
        {
            var c = candidate.Histogram[b];
            var bb = baseline.Histogram[b];
            if (c > 0)
            {
                u += c * (below + (0.5 * bb));
            }

            below += bb;
        }

        double nb = baseline.LatencyCount, nc = candidate.LatencyCount;
        return (u - (nc * nb / 2)) / Math.Sqrt(nc * nb * (nc + nb + 1) / 12);
    }
}
