namespace ModelOps.Core.Audit;

/// <summary>A successful change's value and the audit row that must commit with it.</summary>
public sealed record AuditedChange<T>(T Value, AuditRecord Audit);
