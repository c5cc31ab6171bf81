using Microsoft.EntityFrameworkCore;
using ModelOps.Core.GameDays;
using ModelOps.Core.Incidents;
using ModelOps.Core.Incidents.Replay;
using ModelOps.Core.Incidents.Series;
using ModelOps.Core.Persistence;

namespace ModelOps.Web.Incidents;

/// <summary>
/// Incidents as the API shows them (<see cref="IncidentView"/>), read once for the API and the
/// console alike so both always show the same numbers: the list, one in full with its series
/// buckets (the charts), and whether a game day's drill opened it.
/// </summary>
public sealed class IncidentViews(IncidentService incidents, ReplayService replays, ModelOpsDbContext db)
{
    public async Task<IReadOnlyList<IncidentListItem>> ListAsync(string? model, string? status, CancellationToken cancellationToken)
    {
        var list = await incidents.ListAsync(model, status, cancellationToken);
        var timelines = await incidents.TimelinesAsync(list, cancellationToken);
        var followUps = await incidents.FollowUpsAsync(list, withSeries: false, cancellationToken);
        var replayed = await replays.LatestAsync([.. list.Select(i => i.Id)], cancellationToken);
        var drills = await DrillsAsync(list, cancellationToken);
        return [.. list.Select(incident => new IncidentListItem(
            IncidentView.From(incident, timelines[incident.Id], followUps[incident.Id], replayed.GetValueOrDefault(incident.Id)),
            drills.Contains(incident.RolloutId)))];
    }

    public async Task<IncidentDetail?> GetAsync(string id, CancellationToken cancellationToken) =>
        await incidents.FindAsync(id, cancellationToken) is { } incident ? await DetailAsync(incident, cancellationToken) : null;

    /// <summary>One incident in full: its timeline, its follow-up with the series, and its latest replay.</summary>
    public async Task<IncidentDetail> DetailAsync(Incident incident, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var followUp = (await incidents.FollowUpsAsync([incident], withSeries: true, cancellationToken))[incident.Id];
        var replay = (await replays.LatestAsync([incident.Id], cancellationToken)).GetValueOrDefault(incident.Id);
        var view = IncidentView.From(incident, await incidents.TimelineAsync(incident, cancellationToken), followUp, replay);
        var drill = (await DrillsAsync([incident], cancellationToken)).Count > 0;
        return new IncidentDetail(view, followUp.Buckets ?? [], drill);
    }

    /// <summary>The rollouts among these incidents' that a game day started.</summary>
    private async Task<HashSet<string>> DrillsAsync(IReadOnlyList<Incident> list, CancellationToken cancellationToken)
    {
        var rollouts = list.Select(i => i.RolloutId).Distinct().ToList();
        var drills = await db.Set<GameDay>().AsNoTracking().Where(g => rollouts.Contains(g.RolloutId)).Select(g => g.RolloutId).ToListAsync(cancellationToken);
        return [.. drills];
    }
}

/// <summary>An incident in a list, and whether a game day's drill opened it.</summary>
public sealed record IncidentListItem(IncidentView View, bool Drill);

/// <summary>An incident in full with the series buckets its charts draw from.</summary>
public sealed record IncidentDetail(IncidentView View, IReadOnlyList<IncidentSeriesBucket> Buckets, bool Drill);
