namespace ModelOps.Core.Audit.Checkpoints;

/// <summary>
/// The checkpoint file's verdict and its strongest anchor: the highest-<c>seq</c> checkpoint
/// whose signature verifies (its content is authentic even if a neighbouring line was tampered with).
/// </summary>
public sealed record CheckpointFileCheck(CheckpointReport Report, AuditCheckpoint? Anchor, string NextPrevHash);
