using ModelOps.Core.Audit.Checkpoints;

namespace ModelOps.Core.Audit;

/// <summary>
/// The outcome of recomputing the chain and checking it against signed checkpoints.
/// <see cref="FirstBrokenSeq"/> is set when a row fails its hash, its link, or the hash a
/// checkpoint anchors; <see cref="Missing"/> when the chain ends before a checkpoint's seq.
/// <see cref="Checkpoints"/> is the checkpoint file's own check (null when it was not read).
/// </summary>
public sealed record AuditVerification(
    bool Valid,
    long Count,
    long? FirstBrokenSeq,
    AuditGap? Missing = null,
    CheckpointReport? Checkpoints = null,
    string? Detail = null);
