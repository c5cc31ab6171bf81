using System.Globalization;

namespace ModelOps.Core.Rollouts.Judging;

/// <summary>Number formats for the verdict's one-sentence reason (invariant culture: reasons are logged and audited).</summary>
internal static class Formats
{
    public static string Percent(double value) => (value * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " %";

    public static string Points(double value) => (value * 100).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) + " pp";

    public static string Rate(double value) => (value * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %";

    public static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    public static string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Level(double alpha) => ((1 - alpha) * 100).ToString("0.###", CultureInfo.InvariantCulture) + " %";

    public static string Verdict(VerdictStatus status) => status switch
    {
        VerdictStatus.Fail => "beyond the bound with confidence",
        VerdictStatus.Marginal => "beyond the bound, not yet with confidence",
        VerdictStatus.InsufficientData => "inside the bound, too few samples to vouch for it",
        _ => "inside the bound",
    };
}
