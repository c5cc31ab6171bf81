namespace ModelOps.Core.Audit.Checkpoints;

public enum CheckpointStatus
{
    /// <summary>A new checkpoint was signed and appended.</summary>
    Written,

    /// <summary>The head has not moved since the last checkpoint; nothing new to anchor.</summary>
    Unchanged,

    /// <summary>The audit log has no rows yet.</summary>
    Empty,

    /// <summary>The chain no longer extends the last checkpoint; signing its head would launder a cut.</summary>
    Refused,

    /// <summary>Reading the head or writing the file failed; the next checkpoint retries.</summary>
    Failed,
}
