namespace ModelOps.Core.Audit;

/// <summary>Filters of the audit page and API; every filter is optional.</summary>
public sealed record AuditQuery(
    string? Model = null,
    string? Actor = null,
    string? Action = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Skip = 0,
    int Take = 100);
