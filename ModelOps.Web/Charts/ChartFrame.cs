namespace ModelOps.Web.Charts;

/// <summary>
/// The x axis of a <see cref="CanaryChart"/>: its label, a fixed range (<see cref="From"/>..<see cref="To"/>,
/// markers outside it are not drawn) or none (fitted to the data), and an optional shaded span with its legend.
/// </summary>
public sealed record ChartFrame(string XLabel, double? From = null, double? To = null, ChartSpan? Shaded = null)
{
    /// <summary>A live chart's frame: the last <paramref name="seconds"/> up to now (x = 0).</summary>
    public static ChartFrame SecondsAgo(double seconds) => new("seconds ago", -seconds, 0);
}
