using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Judging;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Inference.Serving.Metrics;

/// <summary>
/// The judge's view of the metrics store. A fallback counts as an error of the routed version
/// (it could not answer). KPI outcomes are counted in the second they arrived, not yet per served
/// request once its attribution window closed (the judge's benchmark assumes the latter).
/// </summary>
public sealed class StoreMeasurements(ServingMetricsStore store, Routing.RoutingTableHolder routing) : IRolloutMeasurements
{
    public ArmMeasurements Measure(string model, int version, Arm arm, DateTimeOffset from, DateTimeOffset to, string? region = null)
    {
        var window = store.Query(new ServingSeriesKey(model, version, arm, region), from, to);
        return new ArmMeasurements(
            window.Requests, window.Errors + window.Fallbacks, window.Timeouts, window.LatencySamplesMs,
            window.KpiSum, window.KpiSumSquares, window.KpiCount,
            Features: window.Features.Count == 0 ? null : window.Features.ToDictionary(f => f.Key, f => Counts(f.Value), StringComparer.Ordinal),
            ScoreBins: window.ScoreBins is { } scores && scores.Any(c => c > 0) ? scores : null,
            KpiBySegment: region is null ? store.Segments.Query(model, version, arm, from, to) : null);
    }

    /// <summary>
    /// A feature's observations, nulls and histogram as the judge reads them (null_rate, drift_psi): a
    /// numeric feature's fixed bins (the same for every version of the model), a categorical one's
    /// counts in category order (bins that differ in number from the reference's are insufficient data).
    /// </summary>
    public static FeatureCounts Counts(FeatureDistribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        IReadOnlyList<long> bins = distribution.BinEdges.Count > 0
            ? distribution.BinCounts
            : [.. distribution.CategoryCounts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value)];
        return new FeatureCounts(distribution.Observations, distribution.NullCount, bins);
    }

    public void TrackSegments(string model, string dimension) => store.Segments.Track(model, dimension);

    public void TrackRegions(string model) => store.TrackRegions(model);

    public IReadOnlyList<string> Regions(string model) => store.Regions(model);

    public LiveSplit? Live(string model) => routing.LiveSince(model) is { } live ? LiveSplit.Of(live.Table, live.Since) : null;
}
