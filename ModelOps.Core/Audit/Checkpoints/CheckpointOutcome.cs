namespace ModelOps.Core.Audit.Checkpoints;

/// <summary>What one checkpoint attempt did; <see cref="Checkpoint"/> is set only when <see cref="CheckpointStatus.Written"/>.</summary>
public sealed record CheckpointOutcome(CheckpointStatus Status, string Detail, AuditCheckpoint? Checkpoint = null);
