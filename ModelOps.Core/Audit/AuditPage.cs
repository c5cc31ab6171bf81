namespace ModelOps.Core.Audit;

/// <summary>One page of audit rows, newest first, with the total that matched.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Rows, int Total);
