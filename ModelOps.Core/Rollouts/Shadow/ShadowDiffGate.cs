using System.Globalization;
using ModelOps.Core.Divergence;

namespace ModelOps.Core.Rollouts.Shadow;

/// <summary>
/// The plan's <c>shadow.maxDiff</c> judged on a divergence report, pure: refused when any segment
/// with enough samples flips more than <c>maxDiff</c> of its decisions, naming the worst such
/// segment. Segments below the report's minimum never decide (a handful of night requests would
/// otherwise block or pass a rollout on noise).
/// </summary>
public static class ShadowDiffGate
{
    public static ShadowDiffVerdict Judge(DivergenceReport report, double? maxDiff)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (maxDiff is not { } bound)
        {
            return new ShadowDiffVerdict(true, null, "The plan sets no shadow.maxDiff.");
        }

        var judged = report.BySegment.Where(s => s.EnoughRows).ToList();
        var worst = judged.OrderByDescending(s => s.FlipShare).ThenBy(s => s.Segment, StringComparer.Ordinal).FirstOrDefault();
        if (worst is null)
        {
            return new ShadowDiffVerdict(true, null, $"No segment has {report.MinSegmentRows} mirrored pairs yet; nothing to hold the rollout back on.");
        }

        return worst.FlipShare > bound
            ? new ShadowDiffVerdict(false, worst, $"Segment {worst.Segment} flips {Share(worst.FlipShare)} of decisions ({worst.Flips} of {worst.Rows} mirrored requests at threshold {Number(report.DecisionThreshold)}), above shadow.maxDiff {Share(bound)}.")
            : new ShadowDiffVerdict(true, worst, $"The most divergent segment, {worst.Segment}, flips {Share(worst.FlipShare)} of decisions, within shadow.maxDiff {Share(bound)}.");
    }

    private static string Share(double share) => share.ToString("0.0%", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
