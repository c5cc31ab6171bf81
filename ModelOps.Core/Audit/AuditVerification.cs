namespace ModelOps.Core.Audit;

/// <summary>The outcome of recomputing the chain; <see cref="FirstBrokenSeq"/> is set only when invalid.</summary>
public sealed record AuditVerification(bool Valid, long Count, long? FirstBrokenSeq);
