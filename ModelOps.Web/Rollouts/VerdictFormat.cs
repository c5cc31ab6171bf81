using System.Globalization;
using ModelOps.Core.Rollouts.Engine;

namespace ModelOps.Web.Rollouts;

/// <summary>
/// A stored verdict's numbers in the contract's units, for people: latency in ms, rates and their
/// absolute thresholds in % and percentage points, relative thresholds (latency, KPI) in % of the
/// baseline, p-values to three significant digits.
/// </summary>
public static class VerdictFormat
{
    public static string Value(string metric, double? value) => value is not { } v || !double.IsFinite(v) ? "—" : metric switch
    {
        "latency_p95" or "latency_p99" => $"{N(v, "0.#")} ms",
        "error_rate" or "timeout_rate" or "null_rate" => $"{N(v * 100, "0.###")} %",
        _ => N(v, "0.####"),
    };

    public static string Threshold(string metric, double? threshold) => threshold is not { } t ? "—" : metric switch
    {
        "latency_p95" or "latency_p99" => $"at most +{N(t * 100, "0.#")} % over baseline",
        "error_rate" or "timeout_rate" or "null_rate" => $"at most +{N(t * 100, "0.###")} pp over baseline",
        "kpi" => $"at most −{N(t * 100, "0.#")} % below baseline",
        _ => N(t, "0.####"),
    };

    public static string Limit(string metric, double? limit) => limit is not { } l ? "—" : $"never beyond {Value(metric, l)}";

    /// <summary>
    /// The effect and its interval are in the unit of the bound that decided (a relative or
    /// absolute change for a threshold, the candidate's own value for a limit), so they are shown
    /// as plain numbers; the verdict's reason says which.
    /// </summary>
    public static string Effect(double? effect) => effect is { } e && double.IsFinite(e) ? e.ToString("G4", CultureInfo.InvariantCulture) : "—";

    public static string Interval(VerdictRecord verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict.CiLow is { } low && verdict.CiHigh is { } high ? $"[{Effect(low)}, {Effect(high)}]" : "—";
    }

    public static string PValue(double? p) => p is { } value && double.IsFinite(value) ? value.ToString("G3", CultureInfo.InvariantCulture) : "—";

    private static string N(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

}
