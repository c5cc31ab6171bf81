namespace ModelOps.Core.Serving.Chaos;

/// <summary>The body of <c>POST /api/chaos</c>; omitted effects are neutral (0 ms, 0 errors, factor 1).</summary>
public sealed record ChaosFaultRequest(string? Model, int? Version, double? AddedLatencyMs = null, double? ErrorRate = null, double? KpiFactor = null);
