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
            KpiBySegment: region is null ? store.Segments.Query(model, version, arm, from, to) : null);
    }

    public void TrackSegments(string model, string dimension) => store.Segments.Track(model, dimension);

    public void TrackRegions(string model) => store.TrackRegions(model);

    public IReadOnlyList<string> Regions(string model) => store.Regions(model);

    public LiveSplit? Live(string model) => routing.LiveSince(model) is { } live ? LiveSplit.Of(live.Table, live.Since) : null;
}
