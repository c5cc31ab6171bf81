namespace ModelOps.Web.Components.Pages.Serving;

/// <summary>
/// Requests per second of one version (all arms) in consecutive windows;
/// <see cref="SecondsAgo"/> is each window's end relative to the last one (so the last is 0).
/// </summary>
public sealed record RateSeries(int Version, IReadOnlyList<double> SecondsAgo, IReadOnlyList<double> RequestsPerSecond);
