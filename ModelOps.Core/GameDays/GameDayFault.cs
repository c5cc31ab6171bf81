namespace ModelOps.Core.GameDays;

/// <summary>The fault a drill injects on its candidate, as <c>POST /api/chaos</c> spells it; omitted effects are neutral.</summary>
public sealed record GameDayFault(double? AddedLatencyMs, double? ErrorRate, double? KpiFactor)
{
    /// <summary>Whether any effect differs from neutral (0 ms, no errors, KPI factor 1).</summary>
    public bool HasEffect => AddedLatencyMs is > 0 || ErrorRate is > 0 || (KpiFactor is { } factor && factor != 1);
}
