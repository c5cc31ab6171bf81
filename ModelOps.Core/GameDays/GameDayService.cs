using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Audit;
using ModelOps.Core.Common;
using ModelOps.Core.Incidents;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Rollouts;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Rollouts.Preflight;
using ModelOps.Core.Serving.Chaos;

namespace ModelOps.Core.GameDays;

/// <summary>
/// Starts drills and reads them. A drill is refused while a real rollout is active on the model;
/// otherwise its plan is built, preflighted and started as an ordinary rollout (judged by the same
/// engine), and the drill is stored and audited (<c>gameday.started</c>). The fault goes on and is
/// measured by <see cref="GameDayRunner"/>, in the background.
/// </summary>
public sealed class GameDayService(ModelOpsDbContext db, AuditTrail trail, RolloutPreflight preflight, RolloutService rollouts, IChaosFaults chaos, TimeProvider time)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Result<GameDay>> StartAsync(GameDayRequest request, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }

        var (model, version, fault) = (request.Model!, request.Version!.Value, request.Fault!); // Validate checked all three.
        if (!await db.Set<RegisteredModel>().AnyAsync(m => m.Name == model, cancellationToken))
        {
            return Error.NotFound($"No model '{model}' is registered; GET /api/models lists them.");
        }

        if (!await db.Set<ModelVersion>().AnyAsync(v => v.Model == model && v.Version == version, cancellationToken))
        {
            return Error.NotFound($"'{model}' has no version {version}; GET /api/models/{model}/versions lists them.");
        }

        if (await db.Set<Rollout>().AsNoTracking().FirstOrDefaultAsync(r => r.Model == model && RolloutStates.Active.Contains(r.State), cancellationToken) is { } active)
        {
            return Error.Conflict($"Rollout {active.Id} is {active.State} on '{model}': a drill never runs beside a real rollout. Wait for it to end, or drill another model.");
        }

        var champion = await db.Set<ModelAlias>().AsNoTracking().Where(a => a.Model == model && a.Alias == ModelAlias.Champion)
            .Select(a => (int?)a.Version).SingleOrDefaultAsync(cancellationToken);
        var plan = GameDayPlans.Build(model, version, request.Plan, champion);
        if (!plan.IsSuccess)
        {
            return plan.Error;
        }

        var failed = (await preflight.RunAsync(plan.Value, cancellationToken)).Where(c => !c.Ok).ToList();
        if (failed.Count > 0)
        {
            return Error.Conflict($"The drill's rollout failed preflight: {string.Join("; ", failed.Select(c => $"{c.Name}: {c.Detail}"))}", [.. failed.Select(c => c.Name)]);
        }

        var started = await rollouts.StartAsync(plan.Value, actor, cancellationToken);
        if (!started.IsSuccess)
        {
            return started.Error;
        }

        var drill = new GameDay
        {
            Id = $"gd-{Guid.NewGuid():N}",
            Model = model,
            Version = version,
            BaselineVersion = plan.Value.RollbackTarget,
            FaultJson = JsonSerializer.Serialize(fault, Json),
            TargetsJson = JsonSerializer.Serialize(GameDayTargets.From(plan.Value, fault), Json),
            RolloutId = started.Value.Id,
            State = GameDayStates.Running,
            StartedBy = actor,
            StartedAt = time.GetUtcNow(),
        };
        return await trail.ExecuteAsync<GameDay>(_ =>
        {
            db.Add(drill);
            var audit = new AuditRecord(actor, "gameday.started", GameDay.AuditTarget(drill.Id), new { rolloutId = drill.RolloutId, version, fault }, model);
            return Task.FromResult<Result<AuditedChange<GameDay>>>(new AuditedChange<GameDay>(drill, audit));
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<GameDayResult>> ListAsync(string? model, CancellationToken cancellationToken)
    {
        var rows = db.Set<GameDay>().AsNoTracking();
        rows = model is null ? rows : rows.Where(g => g.Model == model);
        var drills = (await rows.ToListAsync(cancellationToken)).OrderByDescending(g => g.StartedAt).ToList();
        var incidentIds = drills.Select(g => g.IncidentId).OfType<string>().ToList();
        var incidents = await db.Set<Incident>().AsNoTracking().Where(i => incidentIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, cancellationToken);
        return [.. drills.Select(g => GameDayResult.Of(g, g.IncidentId is { } id ? incidents.GetValueOrDefault(id) : null))];
    }

    public async Task<GameDayResult?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var drill = await db.Set<GameDay>().AsNoTracking().SingleOrDefaultAsync(g => g.Id == id, cancellationToken);
        if (drill is null)
        {
            return null;
        }

        var incident = drill.IncidentId is null ? null : await db.Set<Incident>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == drill.IncidentId, cancellationToken);
        return GameDayResult.Of(drill, incident);
    }

    private Error? Validate(GameDayRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            return Error.Invalid("model", "\"model\" is missing: name the registered model to drill, e.g. \"ctr-ranker\".");
        }

        if (request.Version is not { } version || version < 1)
        {
            return Error.Invalid("version", "\"version\" is missing or below 1: name the registered version the drill deploys as its canary (and injects the fault into).");
        }

        const string NoEffect = "\"fault\" needs at least one effect: addedLatencyMs above 0, errorRate above 0, or kpiFactor other than 1, e.g. { \"addedLatencyMs\": 50 }.";
        if (request.Fault is not { } fault)
        {
            return Error.Invalid("fault", NoEffect);
        }

        if (chaos.Check(new ChaosFaultRequest(request.Model, version, fault.AddedLatencyMs, fault.ErrorRate, fault.KpiFactor)) is { } error)
        {
            return error with { Field = $"fault.{error.Field}", Detail = $"fault: {error.Detail}" };
        }

        return fault.HasEffect ? null : Error.Invalid("fault", NoEffect);
    }
}
