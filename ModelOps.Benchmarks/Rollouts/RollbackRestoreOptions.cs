using System.Globalization;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// The counts of <c>-- rollback-restore</c>, from <c>--name value</c> arguments; the defaults keep
/// one run near five minutes on two cores. <c>--sections swap,inprocess,http,overhead</c> runs a subset.
/// </summary>
public sealed record RollbackRestoreOptions(
    int Flips,
    int SwapRounds,
    int RequestsPerSecond,
    int Rollbacks,
    int OldLayoutRollbacks,
    int HoldMs,
    int HttpRollbacks,
    int HttpWorkers,
    double HttpRequestsPerSecond,
    int OverheadRounds,
    double OverheadSeconds,
    int GateIntervalSeconds,
    IReadOnlySet<string> Sections,
    string? DocFile)
{
    public static readonly IReadOnlyList<string> AllSections = ["swap", "inprocess", "http", "overhead"];

    public static RollbackRestoreOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Expected --name value, got '{args[i]}'.", nameof(args));
            }

            values[args[i][2..]] = args[i + 1];
        }

        var known = new[] { "flips", "swap-rounds", "rps", "rollbacks", "old-layout-rollbacks", "hold-ms", "http-rollbacks", "http-workers", "http-rps", "overhead-rounds", "overhead-seconds", "gate-interval", "sections", "doc" };
        if (args.Count % 2 != 0 || values.Keys.Any(k => !known.Contains(k)))
        {
            var bad = values.Keys.FirstOrDefault(k => !known.Contains(k)) ?? args[^1];
            throw new ArgumentException($"Unknown or incomplete option '{bad}'; options: --{string.Join(" N, --", known)}.", nameof(args));
        }

        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        double Double(string name, double fallback) => values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var sections = values.TryGetValue("sections", out var list)
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal)
            : AllSections.ToHashSet(StringComparer.Ordinal);
        if (sections.FirstOrDefault(s => !AllSections.Contains(s)) is { } wrong)
        {
            throw new ArgumentException($"Unknown section '{wrong}'; sections: {string.Join(",", AllSections)}.", nameof(args));
        }

        return new RollbackRestoreOptions(
            Int("flips", 300),
            Int("swap-rounds", 1),
            Int("rps", 20_000),
            Int("rollbacks", 1_000),
            Int("old-layout-rollbacks", 200),
            Int("hold-ms", 10),
            Int("http-rollbacks", 200),
            Int("http-workers", 4),
            Double("http-rps", 1_500),
            Int("overhead-rounds", 4),
            Double("overhead-seconds", 5),
            Int("gate-interval", 1),
            sections,
            values.GetValueOrDefault("doc"));
    }
}
