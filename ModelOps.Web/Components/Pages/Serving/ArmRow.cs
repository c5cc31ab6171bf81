using System.Globalization;
using ModelOps.Core.Serving.Routing;

namespace ModelOps.Web.Components.Pages.Serving;

/// <summary>
/// One arm of one version over the overview window. Null means "no data" (no request, or no
/// outcome for the KPI), shown as a dash rather than a misleading zero.
/// </summary>
public sealed record ArmRow(Arm Arm, long Requests, double RequestsPerSecond, double? LatencyP95Ms, double? ErrorPercent, double? Kpi)
{
    public string RateText => RequestsPerSecond.ToString("0.0", CultureInfo.InvariantCulture);

    public string LatencyP95Text => LatencyP95Ms is { } p95 ? p95.ToString("0.0", CultureInfo.InvariantCulture) : "—";

    public string ErrorRateText => ErrorPercent is { } percent ? percent.ToString("0.0", CultureInfo.InvariantCulture) + " %" : "—";

    public string KpiText => Kpi is { } kpi ? kpi.ToString("0.000", CultureInfo.InvariantCulture) : "—";
}
