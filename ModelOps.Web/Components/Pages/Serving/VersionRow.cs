using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Web.Components.Pages.Serving;

/// <summary>
/// One version of a served model: its share of default traffic, its roles in the routing table,
/// its warm session (null when not loaded), cache hit rate and live metrics per arm.
/// </summary>
public sealed record VersionRow(
    int Version,
    string? DefaultWeight,
    IReadOnlyList<string> Roles,
    SessionState? Session,
    string CacheHitRate,
    IReadOnlyList<ArmRow> Arms);
