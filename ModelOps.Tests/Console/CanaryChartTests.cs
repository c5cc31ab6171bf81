using ModelOps.Web.Charts;

namespace ModelOps.Tests.Console;

/// <summary>The one canary-vs-baseline renderer (dashboard, incident page and report, approvals): what each frame draws.</summary>
public sealed class CanaryChartTests
{
    private static readonly ChartSeries[] Arms =
    [
        new("baseline v2", [-30, -20, -10], [20, 21, 20]),
        new("candidate v3", [-30, -20, -10], [22, 40, 55]),
    ];

    [Fact]
    public void Svg_LiveFrame_DrawsMarkersWithinItsSecondsOnly()
    {
        ChartMarker[] markers = [new(-15, "rollback", ChartMarkerKind.Rollback), new(-500, "step 1", ChartMarkerKind.Step)];

        var svg = CanaryChart.Svg("Latency p95", "ms", Arms, markers, ChartFrame.SecondsAgo(180));

        Assert.StartsWith("<svg viewBox=\"0 0 560 230\"", svg, StringComparison.Ordinal);
        Assert.Contains("seconds ago", svg, StringComparison.Ordinal);
        Assert.Contains("rollback", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("step 1", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Svg_FittedFrameWithOriginAndShadedSpan_NamesBothInTheLegend()
    {
        var frame = new ChartFrame("seconds from the rollback decision", Shaded: new ChartSpan(5, 25, "verification window"));

        var svg = CanaryChart.Svg("Latency p95", "ms", Arms, [new(0, "decision", ChartMarkerKind.Origin), new(-500, "step 1", ChartMarkerKind.Step)], frame, 640, 260);

        Assert.Contains("seconds from the rollback decision", svg, StringComparison.Ordinal);
        Assert.Contains("verification window", svg, StringComparison.Ordinal);
        Assert.Contains("decision", svg.Replace("seconds from the rollback decision", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("step 1", svg, StringComparison.Ordinal); // A fitted frame draws every marker.
        Assert.Contains("candidate v3", svg, StringComparison.Ordinal);
    }
}
