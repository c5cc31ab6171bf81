using System.Globalization;
using ModelOps.Core.Serving.Metrics;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Caching;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Web.Components.Pages.Serving;

/// <summary>
/// Turns the live serving state (routing tables, warm sessions, metrics, cache counters) into
/// the serving page's rows. Pure apart from reading the metrics store it is given, so the page
/// only renders and tests check the arithmetic directly.
/// </summary>
public static class ServingOverview
{
    /// <summary>The window of the per-arm rates, latencies, error rates and KPIs.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    /// <summary>Width of one chart point; 30 of them cover the last five minutes.</summary>
    public static readonly TimeSpan HistoryStep = TimeSpan.FromSeconds(10);

    public const int HistoryPoints = 30;

    public static IReadOnlyList<ServedModelView> Build(
        IReadOnlyDictionary<string, RoutingTable> tables,
        IReadOnlyList<SessionState> sessions,
        IServingMetrics metrics,
        IReadOnlyList<CacheStats> cache,
        Func<string, bool> cacheEnabled,
        DateTimeOffset now)
    {
        var keys = metrics.Keys();
        var models = tables.Keys
            .Concat(sessions.Select(s => s.Model))
            .Concat(keys.Select(k => k.Model))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        return
        [
            .. models.Select(model =>
            {
                var table = tables.GetValueOrDefault(model);
                var versions = VersionsOf(model, table, sessions, keys, cache);
                var rows = versions.Select(version => new VersionRow(
                    version,
                    table is null ? null : WeightOf(table.DefaultWeights, version),
                    RolesOf(table, version),
                    sessions.FirstOrDefault(s => s.Model == model && s.Version == version),
                    cacheEnabled(model) ? HitRate(cache.Where(c => c.Model == model && c.Version == version)) : "off",
                    [.. keys.Where(k => k.Model == model && k.Version == version).OrderBy(k => k.Arm).Select(k => ArmOf(metrics, k, now))]));
                return new ServedModelView(model, table is null ? null : RoutingOf(table), [.. rows]);
            }),
        ];
    }

    /// <summary>Requests per second of every version of <paramref name="model"/> over the last <see cref="HistoryPoints"/> whole steps before <paramref name="now"/>.</summary>
    public static IReadOnlyList<RateSeries> RateHistory(IServingMetrics metrics, string model, DateTimeOffset now)
    {
        var end = HistoryEnd(now);
        var seconds = HistoryStep.TotalSeconds;
        return
        [
            .. metrics.Keys()
                .Where(k => k.Model == model)
                .GroupBy(k => k.Version)
                .OrderBy(g => g.Key)
                .Select(series =>
                {
                    var ago = new double[HistoryPoints];
                    var rates = new double[HistoryPoints];
                    for (var i = 0; i < HistoryPoints; i++)
                    {
                        var to = end - ((HistoryPoints - 1 - i) * HistoryStep);
                        ago[i] = (to - end).TotalSeconds;
                        rates[i] = series.Sum(k => metrics.Query(model, k.Version, k.Arm, to - HistoryStep, to).Requests) / seconds;
                    }

                    return new RateSeries(series.Key, ago, rates);
                }),
        ];
    }

    /// <summary>
    /// The end of the newest complete chart step. Points only change when it moves, so the page
    /// redraws a chart every <see cref="HistoryStep"/> rather than on every refresh.
    /// </summary>
    public static DateTimeOffset HistoryEnd(DateTimeOffset now)
    {
        var step = (long)HistoryStep.TotalSeconds;
        return DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / step * step);
    }

    public static string Percent(double percent) => percent.ToString("0.##", CultureInfo.InvariantCulture) + " %";

    private static ArmRow ArmOf(IServingMetrics metrics, ServingSeriesKey key, DateTimeOffset now)
    {
        var window = metrics.Query(key.Model, key.Version, key.Arm, now - Window, now);
        return new ArmRow(
            key.Arm,
            window.Requests,
            window.Requests / Window.TotalSeconds,
            window.LatencyP95Ms,
            window.Requests == 0 ? null : 100.0 * (window.Errors + window.Timeouts) / window.Requests,
            window.KpiCount == 0 ? null : window.KpiSum / window.KpiCount);
    }

    private static IEnumerable<int> VersionsOf(string model, RoutingTable? table, IReadOnlyList<SessionState> sessions, IReadOnlyList<ServingSeriesKey> keys, IReadOnlyList<CacheStats> cache)
    {
        IEnumerable<int?> named = table is null ? [] : [table.BaselineVersion, table.CandidateVersion];
        return (table?.RoutableVersions ?? [])
            .Concat(named.OfType<int>())
            .Concat(sessions.Where(s => s.Model == model).Select(s => s.Version))
            .Concat(keys.Where(k => k.Model == model).Select(k => k.Version))
            .Concat(cache.Where(c => c.Model == model).Select(c => c.Version))
            .Distinct()
            .Order();
    }

    private static RoutingView RoutingOf(RoutingTable table) => new(
        table.Generation,
        [.. table.DefaultWeights.Select(Weight)],
        [.. table.RegionOverrides.OrderBy(r => r.Key, StringComparer.OrdinalIgnoreCase).Select(r => KeyValuePair.Create(r.Key, string.Join(", ", r.Value.Select(Weight))))],
        table.Shadow is { } shadow ? $"v{shadow.Version} · {Percent(shadow.Share * 100)}" : "—",
        table.BaselineVersion is { } baseline ? $"v{baseline}" : "—",
        table.CandidateVersion is { } candidate ? $"v{candidate}" : "—");

    private static string Weight(RouteWeight weight) => $"v{weight.Version} → {Percent(weight.Percent)}";

    private static string? WeightOf(IReadOnlyList<RouteWeight> weights, int version) =>
        weights.Where(w => w.Version == version).Select(w => Percent(w.Percent)).FirstOrDefault();

    private static IReadOnlyList<string> RolesOf(RoutingTable? table, int version)
    {
        var roles = new List<string>(3);
        if (table?.BaselineVersion == version)
        {
            roles.Add("baseline");
        }

        if (table?.CandidateVersion == version)
        {
            roles.Add("candidate");
        }

        if (table?.Shadow?.Version == version)
        {
            roles.Add("shadow");
        }

        return roles;
    }

    /// <summary>Summed over the version's namespaces: the cache keys them by digest, so one version may hold more than one.</summary>
    private static string HitRate(IEnumerable<CacheStats> stats)
    {
        var (hits, lookups) = stats.Aggregate((Hits: 0L, Lookups: 0L), (sum, s) => (sum.Hits + s.Hits, sum.Lookups + s.Hits + s.Misses));
        return lookups == 0 ? "—" : Percent(100.0 * hits / lookups);
    }
}
