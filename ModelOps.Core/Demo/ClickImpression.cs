using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Core.Demo;

/// <summary>One synthetic ad impression of the ctr-ranker demo world, before any encoding.</summary>
public sealed record ClickImpression(
    int Hour,
    string Device,
    string Region,
    double ItemPopularity,
    double UserTenureDays,
    string UserId)
{
    /// <summary>The impression as the named raw features a prediction request carries.</summary>
    public IReadOnlyDictionary<string, FeatureValue> ToFeatures() => new Dictionary<string, FeatureValue>(StringComparer.Ordinal)
    {
        [ClickWorld.HourFeature] = FeatureValue.FromNumber(Hour),
        [ClickWorld.DeviceFeature] = FeatureValue.FromText(Device),
        [ClickWorld.RegionFeature] = FeatureValue.FromText(Region),
        [ClickWorld.ItemPopularityFeature] = FeatureValue.FromNumber(ItemPopularity),
        [ClickWorld.UserTenureDaysFeature] = FeatureValue.FromNumber(UserTenureDays),
        [ClickWorld.UserIdFeature] = FeatureValue.FromText(UserId),
    };
}
