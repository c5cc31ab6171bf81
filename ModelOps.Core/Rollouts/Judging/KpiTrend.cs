using MathNet.Numerics.Distributions;

namespace ModelOps.Core.Rollouts.Judging;

/// <summary>One hour of one version's persisted traffic: requests served and the sum of their outcomes.</summary>
public sealed record HourlyKpi(DateTimeOffset Hour, long Requests, double OutcomeSum)
{
    public double Mean => Requests > 0 ? OutcomeSum / Requests : 0;
}

/// <summary>The long-horizon trend's answer: the slope of (candidate − baseline) KPI per hour and whether it drifts down significantly.</summary>
public sealed record KpiTrendResult(bool DriftingNegative, int Hours, double? SlopePerHour, double? PValue, string Reason);

/// <summary>
/// The long-horizon KPI trend (a soft trigger): over up to 48 hourly buckets from the persisted
/// log and feedback, the per-hour difference d_h = KPI(candidate) − KPI(baseline), for hours where
/// both arms served at least <see cref="MinRequestsPerHour"/>, is regressed on the hour by least
/// squares. Drifting negative = the slope's one-sided t-test (n − 2 degrees of freedom,
/// MathNet's Student t) rejects "slope ≥ 0" at α and the latest fitted difference is below zero.
/// Assumptions: hourly differences independent with constant variance around a linear trend (no
/// autocorrelation correction — daily seasonality that both arms share cancels in the difference).
/// Error rate: α per evaluation for a stable candidate; it is evaluated a few times an hour, so the
/// approval it raises is a prompt for a person, never an automatic rollback.
/// </summary>
public static class KpiTrend
{
    public const int MinHours = 4;
    public const int MaxHours = 48;
    public const long MinRequestsPerHour = 30;
    public const double Alpha = 0.01;

    public static KpiTrendResult Assess(IReadOnlyList<HourlyKpi> candidate, IReadOnlyList<HourlyKpi> baseline, double alpha = Alpha)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        var byHour = baseline.Where(b => b.Requests >= MinRequestsPerHour).ToDictionary(b => b.Hour);
        var points = candidate.Where(c => c.Requests >= MinRequestsPerHour && byHour.ContainsKey(c.Hour))
            .OrderBy(c => c.Hour).TakeLast(MaxHours)
            .Select(c => (c.Hour, Diff: c.Mean - byHour[c.Hour].Mean)).ToList();
        if (points.Count < MinHours)
        {
            return new(false, points.Count, null, null, $"KPI trend: {points.Count} hour(s) with at least {MinRequestsPerHour} requests on both arms, {MinHours} needed.");
        }

        var origin = points[0].Hour;
        var x = points.Select(p => (p.Hour - origin).TotalHours).ToArray();
        var y = points.Select(p => p.Diff).ToArray();
        var n = x.Length;
        var meanX = x.Average();
        var meanY = y.Average();
        var sxx = x.Sum(v => (v - meanX) * (v - meanX));
        var slope = x.Zip(y).Sum(p => (p.First - meanX) * (p.Second - meanY)) / sxx;
        var intercept = meanY - (slope * meanX);
        var residual = x.Zip(y).Sum(p => Math.Pow(p.Second - (intercept + (slope * p.First)), 2));
        var standardError = Math.Sqrt(residual / (n - 2) / sxx);
        var latest = intercept + (slope * x[^1]);
        var pValue = standardError > 0 ? StudentT.CDF(0, 1, n - 2, slope / standardError) : slope < 0 ? 0 : 1;
        var drifting = pValue < alpha && latest < 0;
        return new(drifting, n, slope, pValue,
            $"KPI trend over {n} h: candidate − baseline moves {slope:+0.####;-0.####} per hour (one-sided p = {pValue:0.####}), now {latest:+0.####;-0.####} per request: "
            + (drifting ? "drifting negative." : "no significant downward drift."));
    }
}
