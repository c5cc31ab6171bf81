namespace ModelOps.Web.Charts;

/// <summary>One rendered dashboard chart: what it shows (the title, also its accessible name) and the SVG markup.</summary>
public sealed record RolloutChart(string Key, string Title, string Svg);
