namespace ModelOps.Core.Audit;

/// <summary>What a state change says about itself; the trail adds sequence, time and hashes.</summary>
/// <param name="Details">Serialised to camelCase JSON; never put secrets or payloads here.</param>
public sealed record AuditRecord(string Actor, string Action, string Target, object? Details = null, string? Model = null);
