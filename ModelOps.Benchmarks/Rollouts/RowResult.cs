using MathNet.Numerics.Distributions;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>A row's rollouts, with the summaries the table prints. Times never reached count as beyond the horizon.</summary>
public sealed record RowResult(Scenario Row, IReadOnlyList<RolloutOutcome> Outcomes, InformationLimit? Limit, double Alpha)
{
    public IEnumerable<DecisionMethod> Methods => Outcomes[0].Methods.Keys;

    public int RolledBack(DecisionMethod method) => Outcomes.Count(o => o.Methods[method].Rollback is not null);

    public double? Median(DecisionMethod method, bool rollback) => Percentile(method, rollback, 0.5);

    public double? P90(DecisionMethod method, bool rollback) => Percentile(method, rollback, 0.9);

    public double NotCaught(DecisionMethod method) => 1 - ((double)RolledBack(method) / Outcomes.Count);

    /// <summary>Nearest-rank percentile; null when it falls among rollouts that never got there (beyond the horizon).</summary>
    private double? Percentile(DecisionMethod method, bool rollback, double q)
    {
        var times = Outcomes.Select(o => rollback ? o.Methods[method].Rollback : o.Methods[method].FirstFail)
            .Select(t => t ?? double.PositiveInfinity).Order().ToArray();
        var value = times[Math.Clamp((int)Math.Ceiling(q * times.Length) - 1, 0, times.Length - 1)];
        return double.IsPositiveInfinity(value) ? null : value;
    }

    /// <summary>Clopper–Pearson two-sided 95 % upper bound of a share of x in n.</summary>
    public static double UpperBound(int x, int n) => x >= n ? 1 : Beta.InvCDF(x + 1, n - x, 0.975);
}
