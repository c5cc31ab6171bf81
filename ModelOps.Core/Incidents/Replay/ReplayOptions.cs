using System.ComponentModel.DataAnnotations;

namespace ModelOps.Core.Incidents.Replay;

/// <summary>Section <c>ModelOps:Incidents:Replay</c>: the bounds of one replay and how it yields to serving.</summary>
public sealed class ReplayOptions
{
    public const string Section = "ModelOps:Incidents:Replay";

    /// <summary>Most logged rows one replay scores (the newest are left out beyond it).</summary>
    [Range(1, 10_000_000)]
    public int MaxRows { get; set; } = 100_000;

    /// <summary>Wall-clock bound of one replay; it completes with what it scored so far, and says so.</summary>
    [Range(1, 86_400)]
    public int MaxSeconds { get; set; } = 600;

    /// <summary>Rows read from the log and scored per step; progress and cancellation are checked between steps.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1_000;

    /// <summary>Pause after each batch, leaving the cores to serving (0: none; the session already uses one thread).</summary>
    [Range(0, 10_000)]
    public int PauseMsPerBatch { get; set; } = 5;

    /// <summary>How often the replay job looks for a queued replay.</summary>
    [Range(1, 3_600)]
    public int PollSeconds { get; set; } = 2;

    /// <summary>A segment with fewer rows is reported but marked as too small to judge.</summary>
    [Range(1, 1_000_000)]
    public int MinSegmentRows { get; set; } = 30;
}
