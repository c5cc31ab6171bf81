using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Chaos;

namespace ModelOps.Web.Chaos;

/// <summary>A version the router serves now, its default share of traffic, and the fault injected into it (if any): one row of the chaos panel.</summary>
public sealed record ServedVersion(string Model, int Version, double Percent, ChaosFault? Fault)
{
    /// <summary>Every routable version of each model, in model then version order; a fault on a version no longer served is listed too, so it can be cleared.</summary>
    public static IReadOnlyList<ServedVersion> Of(IEnumerable<string> models, ITrafficRouter router, ChaosBoard board)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(board);
        var rows = new List<ServedVersion>();
        foreach (var model in models.Order(StringComparer.Ordinal))
        {
            if (router.Current(model) is not { } table)
            {
                continue;
            }

            rows.AddRange(table.RoutableVersions.Order().Select(v =>
                new ServedVersion(model, v, table.DefaultWeights.Where(w => w.Version == v).Sum(w => w.Percent), board.Find(model, v))));
        }

        rows.AddRange(board.All().Where(f => !rows.Any(r => r.Model == f.Model && r.Version == f.Version)).Select(f => new ServedVersion(f.Model, f.Version, 0, f)));
        return rows;
    }

    /// <summary>The fault in words, e.g. "+250 ms latency, 5 % errors, KPI × 0.8".</summary>
    public static string Describe(ChaosFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var parts = new List<string>(3);
        if (fault.AddedLatencyMs > 0)
        {
            parts.Add($"+{fault.AddedLatencyMs:0.#} ms latency");
        }

        if (fault.ErrorRate > 0)
        {
            parts.Add($"{fault.ErrorRate * 100:0.##} % errors");
        }

        if (fault.KpiFactor != 1)
        {
            parts.Add($"KPI × {fault.KpiFactor:0.###}");
        }

        return parts.Count == 0 ? "no effect" : string.Join(", ", parts);
    }
}
