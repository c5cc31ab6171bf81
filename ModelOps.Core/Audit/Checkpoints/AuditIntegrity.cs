using ModelOps.Core.Common;

namespace ModelOps.Core.Audit.Checkpoints;

/// <summary>
/// Answers "is the audit log whole?" from all the evidence: the hash chain, the checkpoint file
/// and, when a witness supplies one, a checkpoint kept outside this server.
/// </summary>
public sealed class AuditIntegrity(AuditLog log, CheckpointFile file, CheckpointSigner signer)
{
    /// <summary>The strongest checkpoint in the file whose signature verifies.</summary>
    public async Task<Result<AuditCheckpoint>> LatestAsync(CancellationToken cancellationToken) =>
        (await CheckFileAsync(cancellationToken)).Anchor is { } anchor
            ? anchor
            : Error.NotFound("No signed checkpoint yet: one is written at start-up once the audit log has rows, then whenever the head moved (every ModelOps:Audit:CheckpointIntervalSeconds) and after each routing change.");

    /// <summary>The chain, checked against the newest valid checkpoint in the file, and the file itself.</summary>
    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) => CheckAsync(null, cancellationToken);

    /// <summary>
    /// As <see cref="VerifyAsync(CancellationToken)"/>, plus the witness's checkpoint, which must
    /// be signed by this server's key: a witness keeps it where an attacker who cuts both the
    /// database and the checkpoint file cannot reach it.
    /// </summary>
    public async Task<Result<AuditVerification>> VerifyAsync(AuditCheckpoint witness, CancellationToken cancellationToken)
    {
        using (var verifier = signer.Verifier())
        {
            if (!verifier.Verifies(witness))
            {
                return Error.Invalid("signature", "The signature does not verify under this server's checkpoint key: the checkpoint was altered (seq, headHash, at or prevCheckpointHash) or signed by another key. Send a checkpoint exactly as GET /api/audit/checkpoints/latest returned it.");
            }
        }

        if (witness.PublicKey is { } key && key != signer.PublicKey)
        {
            return Error.Invalid("publicKey", "\"publicKey\" is not this server's checkpoint key; send the checkpoint as this server issued it, or omit publicKey.");
        }

        return await CheckAsync(witness, cancellationToken);
    }

    private async Task<AuditVerification> CheckAsync(AuditCheckpoint? witness, CancellationToken cancellationToken)
    {
        var file = await CheckFileAsync(cancellationToken);
        var anchors = new[] { file.Anchor, witness }.OfType<AuditCheckpoint>().ToArray();
        var chain = await log.VerifyAsync(anchors, cancellationToken);
        return chain with
        {
            Valid = chain.Valid && file.Report.Valid,
            Checkpoints = file.Report,
            Detail = file.Report.Valid ? chain.Detail : $"{chain.Detail} The checkpoint file fails its own check (see checkpoints.detail).",
        };
    }

    private async Task<CheckpointFileCheck> CheckFileAsync(CancellationToken cancellationToken)
    {
        var contents = await file.ReadAsync(cancellationToken);
        using var verifier = signer.Verifier();
        return CheckpointChainCheck.Run(contents, verifier);
    }
}
