using System.ComponentModel.DataAnnotations;

namespace ModelOps.Inference.Serving.Log;

/// <summary>The <c>ModelOps:Inference:Log</c> section.</summary>
public sealed class InferenceLogOptions
{
    public const string Section = "ModelOps:Inference:Log";

    /// <summary>
    /// Records the queue holds before new ones are dropped. At ~500 bytes a record the default
    /// bounds the queue near 50 MB, and at the measured insert rate it drains in about a second.
    /// </summary>
    [Range(1, 10_000_000)]
    public int Capacity { get; set; } = 100_000;

    /// <summary>Rows inserted per transaction at most.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 512;

    /// <summary>How long a partly filled batch waits for more rows before it is written.</summary>
    [Range(1, 60_000)]
    public int FlushIntervalMs { get; set; } = 200;

    /// <summary>Log and feedback rows older than this are deleted by the retention sweep.</summary>
    [Range(1, 87_600)]
    public int RetentionHours { get; set; } = 168;

    [Range(1, 1_440)]
    public int RetentionSweepMinutes { get; set; } = 10;

    /// <summary>
    /// Append every queued write to the journal (<c>&lt;data&gt;/inference-journal</c>) before the
    /// request is answered, so a killed process loses no answered request. Off trades that away
    /// for one fewer write per request.
    /// </summary>
    public bool Journal { get; set; } = true;

    /// <summary>Size at which the active journal segment is closed and a new one started.</summary>
    [Range(4_096, 1L << 32)]
    public long JournalSegmentBytes { get; set; } = 8L << 20;

    /// <summary>
    /// How often the journal is fsynced: a power loss (not a process kill) loses at most this much
    /// of answered requests. 0 leaves write-back to the kernel (Linux: about 30 s).
    /// </summary>
    [Range(0, 3_600_000)]
    public int JournalFsyncIntervalMs { get; set; } = 1_000;
}
