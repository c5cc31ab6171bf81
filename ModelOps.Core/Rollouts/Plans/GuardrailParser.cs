using ModelOps.Core.Common;
using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Rollouts.Plans;

/// <summary>Reads one guardrail of a plan into the judge's <see cref="GuardrailSpec"/>, naming the field at fault.</summary>
public static class GuardrailParser
{
    public static Result<GuardrailSpec> Parse(GuardrailRequest request, string path)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (metric, metricName) = request.Metric == "offline_auc"
            ? (GuardrailMetric.Offline, "auc")
            : (GuardrailMetricNames.FromWire(request.Metric), request.MetricName);
        if (metric is not { } known)
        {
            return Error.Invalid($"{path}.metric", $"Metric '{request.Metric}' is not one of {GuardrailMetricNames.Known}.");
        }

        if (request.Threshold is null && request.Limit is null && known != GuardrailMetric.Srm)
        {
            return Error.Invalid($"{path}.threshold", $"Guardrail '{request.Metric}' has neither a threshold (relative to the baseline) nor a limit (absolute, on the candidate); set one or both.");
        }

        if (request.Threshold is { } threshold && (!double.IsFinite(threshold) || threshold < 0))
        {
            return Error.Invalid($"{path}.threshold", $"Threshold {threshold} of '{request.Metric}' must be a finite number ≥ 0 (e.g. 0.2 = +20 % for latency).");
        }

        if (request.Limit is { } limit && !double.IsFinite(limit))
        {
            return Error.Invalid($"{path}.limit", $"Limit of '{request.Metric}' must be a finite number.");
        }

        if (known is GuardrailMetric.NullRate or GuardrailMetric.DriftPsi && string.IsNullOrWhiteSpace(request.Feature))
        {
            return Error.Invalid($"{path}.feature", $"Guardrail '{request.Metric}' is per input feature; name it in \"feature\".");
        }

        if (known == GuardrailMetric.Offline && string.IsNullOrWhiteSpace(metricName))
        {
            return Error.Invalid($"{path}.metricName", "An offline guardrail compares a registered metric; name it in \"metricName\", e.g. \"auc\".");
        }

        var severity = request.Severity switch
        {
            null or "hard" => GuardrailSeverity.Hard,
            "soft" => GuardrailSeverity.Soft,
            _ => (GuardrailSeverity?)null,
        };
        if (severity is null)
        {
            return Error.Invalid($"{path}.severity", $"Severity '{request.Severity}' is not hard (automatic rollback) or soft (an approver decides).");
        }

        var alpha = request.Alpha ?? GuardrailSpec.DefaultAlpha;
        if (!(alpha > 0 && alpha < 0.5))
        {
            return Error.Invalid($"{path}.alpha", $"alpha {alpha} must be in (0, 0.5): this guardrail's false-failure rate over the whole rollout.");
        }

        if (request.WindowSeconds is <= 0 || request.SustainSeconds is < 0 || request.AttributionSeconds is < 0 || request.MinSamples is < 0)
        {
            return Error.Invalid($"{path}.windowSeconds", $"windowSeconds must be > 0, and sustainSeconds, attributionSeconds and minSamples ≥ 0, in guardrail '{request.Metric}'.");
        }

        if (request.SegmentBy is { } segmentBy)
        {
            if (known != GuardrailMetric.Kpi || request.Threshold is null)
            {
                return Error.Invalid($"{path}.segmentBy", $"segmentBy splits a KPI threshold by segment; guardrail '{request.Metric}' {(known == GuardrailMetric.Kpi ? "has no threshold" : "is not a kpi guardrail")}. Remove segmentBy or use it on a kpi guardrail with a threshold.");
            }

            if (string.IsNullOrWhiteSpace(segmentBy))
            {
                return Error.Invalid($"{path}.segmentBy", $"segmentBy is empty: use {SegmentCardinality.HourOfDay} or the name of a categorical or bucketed feature of the candidate's encoder.");
            }
        }

        if (SegmentCardinality.EdgesProblem(request.SegmentBy, request.SegmentEdges) is { } edgesProblem)
        {
            return Error.Invalid($"{path}.segmentEdges", edgesProblem);
        }

        return new GuardrailSpec(
            known,
            request.Threshold,
            request.Limit,
            request.WindowSeconds ?? 300,
            request.SustainSeconds ?? 10,
            known == GuardrailMetric.Srm ? GuardrailSeverity.Hard : severity.Value,
            request.MinSamples ?? GuardrailSpec.DefaultMinSamples,
            metricName,
            request.AttributionSeconds ?? GuardrailSpec.DefaultAttributionSeconds,
            request.Feature,
            alpha,
            request.SegmentBy,
            request.SegmentBy == SegmentCardinality.HourOfDay ? SegmentCardinality.HourOfDayCount(request.SegmentEdges) : 0,
            request.SegmentEdges is { Count: > 0 } edges ? [.. edges] : null);
    }
}
