namespace ModelOps.Core.Audit;

/// <summary>
/// A successful change's value and the audit row that must commit with it. A null
/// <paramref name="Audit"/> means the request changed nothing (an idempotent repeat), so no row is written.
/// </summary>
public sealed record AuditedChange<T>(T Value, AuditRecord? Audit);
