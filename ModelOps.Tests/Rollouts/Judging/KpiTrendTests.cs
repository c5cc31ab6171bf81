using ModelOps.Core.Rollouts.Judging;

namespace ModelOps.Tests.Rollouts.Judging;

public sealed class KpiTrendTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Assess_CandidateSlippingAPointAnHour_IsDriftingNegative()
    {
        var random = new Random(3);
        var baseline = Hours(24, _ => 0.30, random);
        var candidate = Hours(24, h => 0.30 - (0.01 * h), random);

        var trend = KpiTrend.Assess(candidate, baseline);

        Assert.True(trend.DriftingNegative, trend.Reason);
        Assert.InRange(trend.SlopePerHour!.Value, -0.013, -0.007);
    }

    [Fact]
    public void Assess_SameKpiWithASharedDailyCycle_IsNotDrifting_InNearlyAllSeeds()
    {
        var alarms = 0;
        for (var seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            var baseline = Hours(48, h => 0.3 + (0.1 * Math.Sin(h * Math.PI / 12)), random);
            var candidate = Hours(48, h => 0.3 + (0.1 * Math.Sin(h * Math.PI / 12)), random);
            alarms += KpiTrend.Assess(candidate, baseline).DriftingNegative ? 1 : 0;
        }

        // α = 1 %: about 2 false alarms in 200 stable runs; 8 would be far outside Binomial(200, 0.01).
        Assert.InRange(alarms, 0, 8);
    }

    [Fact]
    public void Assess_FewerThanFourHoursWithTraffic_SaysHowManyAreMissing()
    {
        var random = new Random(1);
        var trend = KpiTrend.Assess(Hours(3, _ => 0.1, random), Hours(3, _ => 0.3, random));

        Assert.False(trend.DriftingNegative);
        Assert.Contains("4 needed", trend.Reason, StringComparison.Ordinal);
    }

    /// <summary>Each hour 2,000 Bernoulli outcomes at the hour's rate.</summary>
    private static List<HourlyKpi> Hours(int count, Func<int, double> rate, Random random) =>
        [.. Enumerable.Range(0, count).Select(h =>
        {
            var p = rate(h);
            var clicks = Enumerable.Range(0, 2_000).Count(_ => random.NextDouble() < p);
            return new HourlyKpi(Start.AddHours(h), 2_000, clicks);
        })];
}
