using System.Globalization;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Rollouts.Plans;

/// <summary>
/// A guardrail in plain words for the runbook: what it measures and what it allows, following the
/// contract's units (latency threshold relative, rates absolute, KPI a relative drop, PSI a ceiling,
/// offline an absolute drop of the registered metric).
/// </summary>
internal static class GuardrailWording
{
    public static string Measures(GuardrailSpec spec, int rollbackTarget) => spec.Metric switch
    {
        GuardrailMetric.LatencyP95 => "the candidate's 95th-percentile latency",
        GuardrailMetric.LatencyP99 => "the candidate's 99th-percentile latency",
        GuardrailMetric.ErrorRate => "the candidate's error rate",
        GuardrailMetric.TimeoutRate => "the candidate's timeout rate",
        GuardrailMetric.Kpi => $"the candidate's KPI (outcome per served request, outcomes attributed within {RolloutRunbook.Duration(spec.AttributionSeconds)})",
        GuardrailMetric.NullRate => $"the share of the candidate's requests with feature `{spec.Feature}` missing",
        GuardrailMetric.ScorePsi => "the shift of the candidate's output scores from the baseline's (PSI)",
        GuardrailMetric.DriftPsi => $"the drift of input feature `{spec.Feature}` from a reference taken before the rollout (PSI)",
        GuardrailMetric.Offline => $"the candidate's registered offline `{spec.MetricName ?? "auc"}` against the rollback target v{rollbackTarget}'s",
        GuardrailMetric.Srm => "whether the candidate gets the share of requests its weight promises (sample-ratio mismatch: a routing fault)",
        _ => spec.Metric.ToWire(),
    };

    /// <summary>The bounds, joined: "at most +30 % over the baseline's and never above 250 ms".</summary>
    public static string Allows(GuardrailSpec spec)
    {
        var bounds = new List<string>(2);
        if (spec.Metric == GuardrailMetric.Srm)
        {
            return "a share consistent with the weight (always on, hard)";
        }

        if (spec.Metric is GuardrailMetric.ScorePsi or GuardrailMetric.DriftPsi)
        {
            return (spec.Threshold ?? spec.Limit) is { } psi ? $"a PSI of at most {Number(psi)} (confirmed by a χ² test)" : "no bound set";
        }

        if (spec.Threshold is { } threshold)
        {
            bounds.Add(spec.Metric switch
            {
                GuardrailMetric.LatencyP95 or GuardrailMetric.LatencyP99 => $"at most {Percent(threshold)} above the baseline's",
                GuardrailMetric.ErrorRate or GuardrailMetric.TimeoutRate or GuardrailMetric.NullRate => $"at most {Points(threshold)} above the baseline's",
                GuardrailMetric.Kpi => $"at most {Percent(threshold)} below the baseline's, judged with statistical significance",
                GuardrailMetric.Offline => $"a drop of at most {Number(threshold)}",
                _ => $"threshold {Number(threshold)}",
            });
        }

        if (spec.Limit is { } limit)
        {
            bounds.Add(spec.Metric switch
            {
                GuardrailMetric.LatencyP95 or GuardrailMetric.LatencyP99 => $"never above {Number(limit)} ms",
                GuardrailMetric.ErrorRate or GuardrailMetric.TimeoutRate or GuardrailMetric.NullRate => $"never above {Percent(limit)}",
                GuardrailMetric.Kpi => $"a mean outcome never below {Number(limit)}",
                GuardrailMetric.Offline => $"never below {Number(limit)}",
                _ => $"limit {Number(limit)}",
            });
        }

        return bounds.Count == 0 ? "no bound set" : string.Join(" and ", bounds);
    }

    /// <summary>How the verdict is reached: sequential test, α and its split, minimum samples, the window shown.</summary>
    public static string Judged(GuardrailSpec spec)
    {
        var alpha = Number(spec.Alpha);
        if (spec.Metric == GuardrailMetric.Offline)
        {
            return "once, on the registered numbers (no sampling)";
        }

        var split = spec.Threshold is not null && spec.Limit is not null && spec.Metric is not (GuardrailMetric.Srm or GuardrailMetric.ScorePsi or GuardrailMetric.DriftPsi)
            ? " (half each for the threshold and the limit)"
            : string.Empty;
        return $"continuously on all data since the start, false-alarm rate α = {alpha} over the whole rollout{split}; " +
            $"at least {spec.MinSamples.ToString(CultureInfo.InvariantCulture)} samples per arm; the last {RolloutRunbook.Duration(spec.WindowSeconds)} are shown beside the test";
    }

    private static string Percent(double fraction) => Number(fraction * 100) + " %";

    private static string Points(double fraction) => Number(fraction * 100) is var points && points == "1" ? "1 percentage point" : $"{points} percentage points";

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
