using ModelOps.Core.Incidents.Series;
using ModelOps.Core.Incidents.Verification;

namespace ModelOps.Core.Incidents;

/// <summary>
/// What an incident gathered after its decision, kept apart from the evidence frozen at it: the
/// watch (baseline values during the rollout, routing after, window) and the copied series buckets
/// (null when not read: lists leave them out).
/// </summary>
public sealed record IncidentFollowUp(IncidentWatch? Watch, IReadOnlyList<IncidentSeriesBucket>? Buckets)
{
    public static IncidentFollowUp None { get; } = new(null, null);
}
