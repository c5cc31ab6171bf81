using ModelOps.Core.Rollouts;

namespace ModelOps.Core.Incidents.Replay;

/// <summary>
/// One replay of an incident's candidate traffic through its rollback target: the candidate's
/// logged inputs from <see cref="From"/> to <see cref="To"/> (the rollout's start to the rollback
/// decision) scored offline by <see cref="TargetVersion"/>. Queued in the rollback's own
/// transaction; <see cref="ReportJson"/> holds the <see cref="Divergence.DivergenceReport"/> once
/// completed (or as far as it got when cancelled or stopped at its time bound).
/// </summary>
public sealed class ReplayRun
{
    public required string Id { get; set; }

    public required string IncidentId { get; set; }

    public required string Model { get; set; }

    public int CandidateVersion { get; set; }

    public int TargetVersion { get; set; }

    public DateTimeOffset From { get; set; }

    public DateTimeOffset To { get; set; }

    /// <summary><see cref="ReplayStates"/>.</summary>
    public required string Status { get; set; }

    public int RowsDone { get; set; }

    /// <summary>Rows to replay (the logged rows, capped at the row bound); known once running.</summary>
    public int? RowsTotal { get; set; }

    public DateTimeOffset QueuedAt { get; set; }

    public required string QueuedBy { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Who asked to cancel; a running replay stops at its next batch.</summary>
    public string? CancelRequestedBy { get; set; }

    public string? ReportJson { get; set; }

    public string? Error { get; set; }

    /// <summary>How many times a run was started; a run interrupted by a restart starts again from its first row.</summary>
    public int Attempts { get; set; }

    public static ReplayRun Queue(Incident incident, Rollout rollout, string actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(rollout);
        return new ReplayRun
        {
            Id = $"rp-{Guid.NewGuid():N}",
            IncidentId = incident.Id,
            Model = incident.Model,
            CandidateVersion = incident.FromVersion,
            TargetVersion = incident.ToVersion,
            From = rollout.StartedAt,
            To = now,
            Status = ReplayStates.Queued,
            QueuedAt = now,
            QueuedBy = actor,
        };
    }
}
