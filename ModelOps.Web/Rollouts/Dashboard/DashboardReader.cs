using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Audit;
using ModelOps.Core.Incidents;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Plans;
using ModelOps.Core.Rollouts.Stability;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Chaos;
using ModelOps.Web.Charts;

namespace ModelOps.Web.Rollouts.Dashboard;

/// <summary>
/// Reads what the dashboard shows through the same path as GET /api/rollouts/{id}
/// (<see cref="RolloutView.From"/> over the stored rollout, its approvals, the live routing table
/// and <see cref="ChronicFailures"/>), plus the attention items. Scoped: one per feed tick.
/// </summary>
public sealed class DashboardReader(ModelOpsDbContext db, ITrafficRouter router, RolloutApprovals approvals, ChronicFailures chronic, ChaosBoard chaos, TimeProvider time)
{
    /// <summary>
    /// Every model with a champion or an active rollout (a rollout may name its rollback target
    /// without a champion alias, and an operator must never miss one), each with its latest rollout:
    /// the active one, or the last one that ended. Ordered by model name, so a panel keeps its place
    /// when its rollout ends or rolls back (the moment an operator is watching it).
    /// </summary>
    public async Task<(IReadOnlyList<ModelPanel> Models, AttentionView Attention)> ReadAsync(CancellationToken cancellationToken)
    {
        var champions = await db.Set<ModelAlias>().AsNoTracking().Where(a => a.Alias == ModelAlias.Champion)
            .Select(a => new { a.Model, a.Version }).ToDictionaryAsync(a => a.Model, a => a.Version, StringComparer.Ordinal, cancellationToken);
        var rollouts = await db.Set<Rollout>().AsNoTracking().Select(r => new { r.Id, r.Model, r.StartedAt, r.State }).ToListAsync(cancellationToken);
        var latest = rollouts.GroupBy(r => r.Model, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => (g.Where(r => RolloutStates.IsActive(r.State)).MaxBy(r => r.StartedAt) ?? g.MaxBy(r => r.StartedAt)!).Id, // A group is never empty.
            StringComparer.Ordinal);
        var shown = champions.Keys.Union(rollouts.Where(r => RolloutStates.IsActive(r.State)).Select(r => r.Model), StringComparer.Ordinal);
        var failing = await chronic.AllAsync(cancellationToken);
        var panels = new List<ModelPanel>();
        foreach (var model in shown.Order(StringComparer.Ordinal))
        {
            var rollout = latest.TryGetValue(model, out var id) ? await db.Set<Rollout>().AsNoTracking().SingleAsync(r => r.Id == id, cancellationToken) : null;
            int? champion = champions.TryGetValue(model, out var version) ? version : null;
            panels.Add(await PanelAsync(model, champion, rollout, failing.GetValueOrDefault(model), cancellationToken));
        }

        return (panels, await AttentionAsync(failing, cancellationToken));
    }

    /// <summary>One rollout's panel (the detail page), or null when no such rollout exists.</summary>
    public async Task<ModelPanel?> ReadRolloutAsync(string id, CancellationToken cancellationToken)
    {
        if (await db.Set<Rollout>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken) is not { } rollout)
        {
            return null;
        }

        var champion = await db.Set<ModelAlias>().AsNoTracking().Where(a => a.Model == rollout.Model && a.Alias == ModelAlias.Champion)
            .Select(a => (int?)a.Version).SingleOrDefaultAsync(cancellationToken);
        return await PanelAsync(rollout.Model, champion, rollout, await chronic.OfModelAsync(rollout.Model, cancellationToken), cancellationToken);
    }

    private async Task<ModelPanel> PanelAsync(string model, int? champion, Rollout? rollout, ChronicFailure? failing, CancellationToken cancellationToken)
    {
        var table = router.Current(model);
        var splits = table is null ? [] : Splits(table);
        if (rollout is null)
        {
            return new ModelPanel(model, champion, splits, null, null, null, [], [], failing);
        }

        var active = RolloutStates.IsActive(rollout.State);
        var view = RolloutView.From(rollout, active ? table : null, await approvals.ListAsync(rollout.Id, cancellationToken)) with { ChronicallyFailing = failing };
        var plan = RolloutPlanJson.Read(rollout.PlanJson);
        var now = time.GetUtcNow();
        var asOf = active ? now : rollout.EvaluatedAt ?? rollout.EndedAt ?? now;
        var board = GuardrailBoardRow.Board(view, plan, asOf);
        var (stepText, bakeLeft) = Step(rollout, plan, now);
        return new ModelPanel(model, champion, splits, view, stepText, bakeLeft, board, await MarkersAsync(rollout, now, cancellationToken), failing);
    }

    private static (string? Text, TimeSpan? BakeLeft) Step(Rollout rollout, RolloutPlan? plan, DateTimeOffset now)
    {
        if (plan is null || rollout.StepIndex < 0 || rollout.StepIndex >= plan.Steps.Count)
        {
            return (rollout.State == RolloutStates.Shadowing ? "shadow phase (mirrored traffic only)" : null, null);
        }

        var step = plan.Steps[rollout.StepIndex];
        var regions = step.Regions.Count > 0 ? $" in {string.Join(", ", step.Regions)}" : string.Empty;
        var text = string.Create(CultureInfo.InvariantCulture, $"step {rollout.StepIndex + 1} of {plan.Steps.Count}: {step.Weight:0.##} % to v{rollout.CandidateVersion}{regions}, bake {step.BakeSeconds} s");
        if (rollout.State == RolloutStates.Shadowing)
        {
            text = "shadow phase (mirrored traffic only), then " + text;
        }

        TimeSpan? left = rollout.State == RolloutStates.Progressing && rollout.StepStartedAt is { } started
            ? TimeSpan.FromSeconds(Math.Max(0, step.BakeSeconds - (now - started).TotalSeconds))
            : null;
        return (text, left);
    }

    private async Task<IReadOnlyList<ChartMarker>> MarkersAsync(Rollout rollout, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var target = Rollout.AuditTarget(rollout.Id);
        var rows = await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Target == target).OrderBy(e => e.Seq)
            .Select(e => new { e.At, e.Action }).ToListAsync(cancellationToken);
        var markers = new List<ChartMarker>();
        var step = 1;
        foreach (var row in rows)
        {
            var seconds = (row.At - now).TotalSeconds;
            ChartMarker? marker = row.Action switch
            {
                "rollout.started" => new(seconds, "step 1", ChartMarkerKind.Step),
                "rollout.advanced" => new(seconds, $"step {++step}", ChartMarkerKind.Step),
                "rollout.approvalRequested" => new(seconds, "soft trigger", ChartMarkerKind.Trigger),
                "rollout.rolledBack" or "rollout.rollingBack" or "rollout.rollbackStep" => new(seconds, "rollback", ChartMarkerKind.Rollback),
                "rollout.paused" => new(seconds, "paused", ChartMarkerKind.Step),
                "rollout.promoted" => new(seconds, "promoted", ChartMarkerKind.Step),
                _ => null,
            };
            if (marker is not null)
            {
                markers.Add(marker);
            }
        }

        if (rollout.FirstFailingAt is { } failing)
        {
            markers.Add(new((failing - now).TotalSeconds, "hard trigger", ChartMarkerKind.Trigger));
        }

        return markers;
    }

    private async Task<AttentionView> AttentionAsync(IReadOnlyDictionary<string, ChronicFailure> failing, CancellationToken cancellationToken)
    {
        var notRecovered = await db.Set<Incident>().AsNoTracking()
            .Where(i => i.Status == IncidentStates.Open && i.VerificationStatus == IncidentStates.NotRecovered)
            .Select(i => new { i.Id, i.Model }).ToListAsync(cancellationToken);
        var pending = await db.Set<RolloutApproval>().AsNoTracking().CountAsync(a => a.Status == ApprovalStatuses.Pending, cancellationToken);
        var faults = chaos.All().Select(f => string.Create(CultureInfo.InvariantCulture,
            $"{f.Model} v{f.Version}: {string.Join(", ", Fault(f))}")).ToList();
        return new AttentionView(
            [.. failing.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}: {f.Value.Rollbacks} rollbacks in {f.Value.PeriodHours} h. {f.Value.Advice}")],
            [.. notRecovered.Select(i => (i.Id, i.Model))],
            pending,
            faults);
    }

    private static IEnumerable<string> Fault(ChaosFault fault)
    {
        if (fault.AddedLatencyMs > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"+{fault.AddedLatencyMs:0.#} ms latency");
        }

        if (fault.ErrorRate > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{fault.ErrorRate * 100:0.#} % errors");
        }

        if (Math.Abs(fault.KpiFactor - 1) > 1e-9)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"KPI × {fault.KpiFactor:0.##}");
        }
    }

    private static IReadOnlyList<TrafficSplit> Splits(RoutingTable table) =>
    [
        new(null, Weights(table.DefaultWeights)),
        .. table.RegionOverrides.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new TrafficSplit(r.Key, Weights(r.Value))),
    ];

    private static string Weights(IReadOnlyList<RouteWeight> weights) =>
        string.Join(" · ", weights.Select(w => string.Create(CultureInfo.InvariantCulture, $"v{w.Version} {w.Percent:0.##} %")));
}
