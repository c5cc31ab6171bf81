namespace ModelOps.Core.Audit;

/// <summary>Rows a signed checkpoint proves existed but the chain no longer holds (cut from its end).</summary>
public sealed record AuditGap(long FromSeq, long ToSeq);
