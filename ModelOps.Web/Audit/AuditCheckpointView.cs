using ModelOps.Core.Audit.Checkpoints;

namespace ModelOps.Web.Audit;

/// <summary>
/// A checkpoint as the contract shows it. <see cref="At"/> is the exact string the signature
/// covers (UTC, milliseconds, <c>Z</c>), so a witness can rebuild the payload without re-formatting a time.
/// </summary>
public sealed record AuditCheckpointView(long Seq, string HeadHash, string At, string PrevCheckpointHash, string Signature, string? PublicKey)
{
    public static AuditCheckpointView From(AuditCheckpoint checkpoint) => new(
        checkpoint.Seq,
        checkpoint.HeadHash,
        CheckpointPayload.FormatTime(checkpoint.At),
        checkpoint.PrevCheckpointHash,
        checkpoint.Signature,
        checkpoint.PublicKey);
}
