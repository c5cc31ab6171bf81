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

    /// <summary>
    /// Rows read from the log and scored per step; progress and cancellation are checked between
    /// steps. Small, so each burst of work is short next to a request's latency budget.
    /// </summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 250;

    /// <summary>
    /// The largest share of wall time the replay works: after a batch that took t it waits
    /// t × (1 / DutyCycle − 1), so on a busy machine it yields in proportion (1: never waits).
    /// The low-priority path: thread priorities are not honoured for unprivileged processes on Linux.
    /// </summary>
    [Range(0.01, 1.0)]
    public double DutyCycle { get; set; } = 0.25;

    /// <summary>Least pause after each batch (tests use it to slow a replay down).</summary>
    [Range(0, 10_000)]
    public int PauseMsPerBatch { get; set; }

    /// <summary>How often the replay job looks for a queued replay.</summary>
    [Range(1, 3_600)]
    public int PollSeconds { get; set; } = 2;

    /// <summary>A segment with fewer rows is reported but marked as too small to judge.</summary>
    [Range(1, 1_000_000)]
    public int MinSegmentRows { get; set; } = 30;
}
