using ModelOps.Core.Incidents.Samples;
using ModelOps.Core.Incidents.Series;
using ModelOps.Core.Incidents.Verification;

namespace ModelOps.Core.Incidents;

/// <summary>
/// What an incident gathered after its decision, kept apart from the evidence frozen at it: the
/// watch (baseline values during the rollout, routing after, window) and the copied series buckets
/// (null when not read: lists leave them out), and how many of the candidate's requests were
/// sampled into it with the rows themselves (null when not read).
/// </summary>
public sealed record IncidentFollowUp(
    IncidentWatch? Watch,
    IReadOnlyList<IncidentSeriesBucket>? Buckets,
    int SampleCount = 0,
    IReadOnlyList<IncidentSample>? Samples = null)
{
    public static IncidentFollowUp None { get; } = new(null, null);
}
