using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Core.Incidents.Series;

/// <summary>
/// One arm's buckets pooled: counts summed, rates and the KPI mean from the sums. Latency
/// quantiles are the request-weighted mean of the buckets' quantiles — the buckets keep no raw
/// latencies, and the baseline during the rollout and the target after it are pooled the same way,
/// so a relative check compares like with like.
/// </summary>
public sealed record ArmSummary(
    long Requests,
    double? ErrorRate,
    double? TimeoutRate,
    double? LatencyP95Ms,
    double? LatencyP99Ms,
    double? KpiMean,
    long KpiCount)
{
    public static ArmSummary Of(IEnumerable<SeriesBucket> buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        long requests = 0, errors = 0, timeouts = 0, kpiCount = 0, timed = 0;
        double kpiSum = 0, p95 = 0, p99 = 0;
        foreach (var bucket in buckets)
        {
            requests += bucket.Requests;
            errors += bucket.Errors;
            timeouts += bucket.Timeouts;
            kpiSum += bucket.KpiSum;
            kpiCount += bucket.KpiCount;
            if (bucket is { LatencyP95Ms: { } b95, LatencyP99Ms: { } b99, Requests: > 0 })
            {
                p95 += b95 * bucket.Requests;
                p99 += b99 * bucket.Requests;
                timed += bucket.Requests;
            }
        }

        return new(
            requests,
            requests == 0 ? null : (double)errors / requests,
            requests == 0 ? null : (double)timeouts / requests,
            timed == 0 ? null : p95 / timed,
            timed == 0 ? null : p99 / timed,
            kpiCount == 0 ? null : kpiSum / kpiCount,
            kpiCount);
    }

    /// <summary>The pooled value a guardrail on <paramref name="metric"/> reads; null for metrics a series does not carry.</summary>
    public double? ValueOf(GuardrailMetric metric) => metric switch
    {
        GuardrailMetric.LatencyP95 => LatencyP95Ms,
        GuardrailMetric.LatencyP99 => LatencyP99Ms,
        GuardrailMetric.ErrorRate => ErrorRate,
        GuardrailMetric.TimeoutRate => TimeoutRate,
        GuardrailMetric.Kpi => KpiMean,
        _ => null,
    };

    /// <summary>How many observations stand behind <see cref="ValueOf"/>: outcomes for the KPI, requests otherwise.</summary>
    public long SamplesOf(GuardrailMetric metric) => metric == GuardrailMetric.Kpi ? KpiCount : Requests;
}
