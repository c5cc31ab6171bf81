namespace ModelOps.Core.Audit;

/// <summary>The newest committed row of the chain: how many rows there are and the last hash.</summary>
public sealed record AuditHead(long Seq, string Hash);
