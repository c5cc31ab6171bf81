namespace ModelOps.Core.Audit.Checkpoints;

/// <summary>
/// A signed statement "the audit chain had <see cref="Seq"/> rows and its last row's hash was
/// <see cref="HeadHash"/> at <see cref="At"/>", as Certificate Transparency signs tree heads.
/// The chain proves the rows it holds; a checkpoint held outside the database proves none was
/// cut from its end. See <see cref="CheckpointPayload"/> for what exactly is signed.
/// </summary>
/// <param name="PublicKey">Base64 SubjectPublicKeyInfo of the signer; informational, never trusted for verification.</param>
public sealed record AuditCheckpoint(
    long Seq,
    string HeadHash,
    DateTimeOffset At,
    string PrevCheckpointHash,
    string Signature,
    string? PublicKey)
{
    public byte[] Payload() => CheckpointPayload.Encode(Seq, HeadHash, At, PrevCheckpointHash);

    /// <summary>What the next checkpoint's <see cref="PrevCheckpointHash"/> must be.</summary>
    public string Hash() => CheckpointPayload.Hash(Payload());
}
