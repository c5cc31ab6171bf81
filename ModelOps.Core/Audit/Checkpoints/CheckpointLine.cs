namespace ModelOps.Core.Audit.Checkpoints;

/// <summary>One complete line of the checkpoint file: a parsed checkpoint, or why it is not one.</summary>
public sealed record CheckpointLine(int Number, AuditCheckpoint? Checkpoint, string? Problem);
