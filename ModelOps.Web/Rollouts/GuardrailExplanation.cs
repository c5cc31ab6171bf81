using System.Globalization;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Rollouts.Plans;

namespace ModelOps.Web.Rollouts;

/// <summary>A guardrail request in plain words for the wizard: what it watches, what it allows, how long a breach must hold, and what a failure does.</summary>
public static class GuardrailExplanation
{
    public static string Of(GuardrailRequest guardrail)
    {
        ArgumentNullException.ThrowIfNull(guardrail);
        var metric = guardrail.Metric ?? "?";
        var watches = metric switch
        {
            "latency_p95" => "the candidate's 95th-percentile response time",
            "latency_p99" => "the candidate's 99th-percentile response time",
            "error_rate" => "the share of the candidate's requests that fail",
            "timeout_rate" => "the share of the candidate's requests that time out",
            "kpi" => $"the business outcome (e.g. clicks) per request the candidate served, outcomes counted within {guardrail.AttributionSeconds ?? 60} s",
            "null_rate" => $"the share of requests missing feature '{guardrail.Feature}'",
            "score_psi" => "how far the candidate's output scores shift from the baseline's (PSI)",
            "drift_psi" => $"how far input feature '{guardrail.Feature}' drifts from before the rollout (PSI)",
            "offline" or "offline_auc" => $"the candidate's registered offline {guardrail.MetricName ?? "auc"} against the rollback target's",
            _ => metric,
        };
        var bounds = new List<string>(2);
        if (guardrail.Threshold is { } threshold)
        {
            bounds.Add(metric switch
            {
                "latency_p95" or "latency_p99" => $"at most {Percent(threshold)} above the baseline's",
                "error_rate" or "timeout_rate" or "null_rate" => $"at most {Number(threshold * 100)} percentage points above the baseline's",
                "kpi" => $"at most {Percent(threshold)} below the baseline's, judged with statistical significance",
                _ => $"threshold {Number(threshold)}",
            });
        }

        if (guardrail.Limit is { } limit)
        {
            bounds.Add(metric switch
            {
                "latency_p95" or "latency_p99" => $"never above {Number(limit)} ms",
                "error_rate" or "timeout_rate" or "null_rate" => $"never above {Percent(limit)}",
                _ => $"never beyond {Number(limit)}",
            });
        }

        var action = guardrail.Severity == "soft"
            ? "a failure pauses the rollout and asks an Approver (revert or continue)"
            : "a failure rolls back automatically";
        var allows = $"Watches {watches}; allows {(bounds.Count == 0 ? "nothing set yet (give a threshold or a limit)" : string.Join(" and ", bounds))}. ";
        if (!GuardrailDraft.IsSampled(metric))
        {
            return allows + $"Judged from the registry's numbers, not from traffic (no window, sample or α); a breach must hold {guardrail.SustainSeconds ?? 0} s; "
                + $"{guardrail.Severity ?? "hard"}: {action}.";
        }

        return allows
            + $"Shows the last {guardrail.WindowSeconds ?? 0} s; a breach must hold {guardrail.SustainSeconds ?? 0} s; {guardrail.Severity ?? "hard"}: {action}. "
            + $"Judged once each arm has {guardrail.MinSamples ?? GuardrailSpec.DefaultMinSamples} observations, "
            + $"at α {Number(guardrail.Alpha ?? GuardrailSpec.DefaultAlpha)} (its chance of failing a candidate that is within bounds).";
    }

    private static string Percent(double fraction) => Number(fraction * 100) + " %";

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
