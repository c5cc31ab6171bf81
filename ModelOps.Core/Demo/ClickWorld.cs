namespace ModelOps.Core.Demo;

/// <summary>
/// The synthetic click-through world behind the ctr-ranker demo. Stateless: every draw takes
/// the caller's seeded <see cref="Random"/>, so the same seed always yields the same traffic.
/// The true click probability is known, which lets the demo show that a model which buckets
/// hour of day beats one that treats hour as a straight line.
/// </summary>
public sealed class ClickWorld
{
    public const string HourFeature = "hour";
    public const string DeviceFeature = "device";
    public const string RegionFeature = "region";
    public const string ItemPopularityFeature = "item_popularity";
    public const string UserTenureDaysFeature = "user_tenure_days";
    public const string UserIdFeature = "user_id";

    public const double MaxTenureDays = 2000;

    public static readonly IReadOnlyList<string> Devices = ["mobile", "desktop", "tablet"];

    public static readonly IReadOnlyList<string> Regions = ["eu", "us", "apac"];

    // Relative traffic per hour: a trough before dawn, a lunch bump and an evening peak.
    private static readonly double[] HourlyTraffic =
    [
        0.45, 0.30, 0.22, 0.18, 0.20, 0.30, 0.50, 0.75, 0.90, 0.95, 1.00, 1.05,
        1.15, 1.05, 1.00, 1.00, 1.05, 1.15, 1.35, 1.55, 1.65, 1.50, 1.10, 0.75,
    ];

    private static readonly double[] HourlyTrafficCumulative = Cumulative(HourlyTraffic);

    /// <summary>Night is 22:00-05:59, where the demo's corrupted training run goes wrong.</summary>
    public static bool IsNight(int hour) => hour is < 6 or >= 22;

    /// <summary>Draws an hour from the daily traffic shape.</summary>
    public static int DrawHour(Random random)
    {
        var u = random.NextDouble() * HourlyTrafficCumulative[^1];
        var hour = Array.FindIndex(HourlyTrafficCumulative, edge => u < edge);
        return hour < 0 ? 23 : hour;
    }

    public ClickImpression DrawImpression(Random random) => DrawImpression(DrawHour(random), random);

    public ClickImpression DrawImpression(int hour, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hour);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hour, 23);
        var deviceDraw = random.NextDouble();
        var device = deviceDraw < 0.55 ? "mobile" : deviceDraw < 0.88 ? "desktop" : "tablet";
        var regionDraw = random.NextDouble();
        var region = regionDraw < 0.4 ? "eu" : regionDraw < 0.8 ? "us" : "apac";
        var popularity = Math.Pow(random.NextDouble(), 1.5);
        // Tenure is long-tailed: most users are new, a few are years old.
        var tenure = Math.Min(MaxTenureDays, Math.Round(-350 * Math.Log(1 - random.NextDouble())));
        var userId = $"u{random.Next(1_000_000):D6}";
        return new ClickImpression(hour, device, region, popularity, tenure, userId);
    }

    public LabeledImpression DrawLabeled(Random random) => Label(DrawImpression(random), random);

    public LabeledImpression Label(ClickImpression impression, Random random) =>
        new(impression, random.NextDouble() < TrueClickProbability(impression));

    public IReadOnlyList<LabeledImpression> DrawSample(int count, Random random)
    {
        var sample = new LabeledImpression[count];
        for (var i = 0; i < count; i++)
        {
            sample[i] = DrawLabeled(random);
        }

        return sample;
    }

    /// <summary>
    /// Logistic of: a non-monotonic hour effect (evening peak, deep pre-dawn trough), an
    /// hour × device interaction (mobile at night-time, desktop in office hours), region,
    /// popularity and a concave tenure effect. No linear model over these inputs is exact.
    /// </summary>
    public double TrueClickProbability(ClickImpression impression)
    {
        var hour = impression.Hour;
        var logit = -2.4
            + (1.1 * Bump(hour, 20, 2.2))
            - (1.6 * Bump(hour, 3.5, 2.0))
            + DeviceEffect(impression.Device, hour)
            + RegionEffect(impression.Region)
            + (2.2 * impression.ItemPopularity)
            + (0.9 * Math.Log(1 + impression.UserTenureDays) / Math.Log(1 + MaxTenureDays));
        return 1 / (1 + Math.Exp(-logit));
    }

    private static double DeviceEffect(string device, int hour) => device switch
    {
        "mobile" => 0.7 * Bump(hour, 22, 2.5),
        "desktop" => -0.3 + (0.8 * Bump(hour, 13, 3.0)),
        _ => 0.1,
    };

    private static double RegionEffect(string region) => region switch
    {
        "us" => 0.15,
        "apac" => -0.25,
        _ => 0,
    };

    // A Gaussian bump on the 24-hour circle, so 23:00 and 01:00 are neighbours.
    private static double Bump(int hour, double centre, double width)
    {
        var distance = Math.Abs(hour - centre);
        distance = Math.Min(distance, 24 - distance);
        return Math.Exp(-(distance * distance) / (2 * width * width));
    }

    private static double[] Cumulative(double[] weights)
    {
        var cumulative = new double[weights.Length];
        var total = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            total += weights[i];
            cumulative[i] = total;
        }

        return cumulative;
    }
}
