namespace ModelOps.Core.Audit.Checkpoints;

/// <summary>Anchors the audit chain's current head in a signed checkpoint outside the database.</summary>
public interface IAuditCheckpointer
{
    /// <summary>
    /// Signs and appends a checkpoint of the committed head when it moved since the last one.
    /// Never throws for a fault reading the head or writing the file: it is logged and reported
    /// as <see cref="CheckpointStatus.Failed"/>, because callers run after their own change has
    /// committed and must not look failed; the periodic checkpoint retries.
    /// </summary>
    Task<CheckpointOutcome> CheckpointAsync(CancellationToken cancellationToken);
}
