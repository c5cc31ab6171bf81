namespace ModelOps.Core.Incidents.Verification;

/// <summary>
/// What an incident keeps watching after its rollback: how far its metric series has been copied,
/// the baseline arm's values during the rollout (what a relative check compares against), the
/// routing table once the rollback had restored traffic, and the verification window. Created at
/// the incident's first verification run; one per incident.
/// </summary>
public sealed class IncidentWatch
{
    public required string IncidentId { get; set; }

    public required string Model { get; set; }

    public int TargetVersion { get; set; }

    public int CandidateVersion { get; set; }

    public DateTimeOffset DecidedAt { get; set; }

    /// <summary>The first bucket of the series: the rollout's start or 15 minutes before the decision, whichever is later.</summary>
    public DateTimeOffset SeriesFrom { get; set; }

    /// <summary>Buckets before this are copied.</summary>
    public DateTimeOffset SeriesThrough { get; set; }

    /// <summary>The plan's <c>verification.withinSeconds</c>.</summary>
    public int WindowSeconds { get; set; }

    /// <summary>JSON list of <see cref="GuardrailBaseline"/>; null until the buckets before the decision are copied.</summary>
    public string? BaselineJson { get; set; }

    /// <summary>The routing table after the rollback (<c>RoutingTableDocument</c> JSON); null until traffic is restored.</summary>
    public string? RoutingAfterJson { get; set; }

    /// <summary>When the candidate's logged requests were sampled into the incident (<c>IncidentSample</c>); null until then.</summary>
    public DateTimeOffset? SamplesCopiedAt { get; set; }

    public Guid ConcurrencyToken { get; set; }
}
