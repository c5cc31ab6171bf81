using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ModelOps.Core.Audit;
using ModelOps.Core.Common;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Serving.Calibration;

namespace ModelOps.Inference.Serving.Calibration;

/// <summary>
/// Saves and restores calibration state (scoped). Each write commits with its audit row through
/// <see cref="AuditTrail"/>; a restore reaches the live <see cref="CalibrationRegistry"/> only
/// after that commit, so the registry never holds state whose restore was rolled back.
/// </summary>
public sealed class CalibrationSnapshots(ModelOpsDbContext db, AuditTrail trail, CalibrationRegistry registry, TimeProvider time) : ICalibrationSnapshots
{
    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);

    /// <summary>Saves the version's current state under a new id (<c>cal-</c> + 32 hex digits).</summary>
    public Task<Result<CalibrationSnapshotView>> SnapshotAsync(string model, int version, string actor, string? reason, CancellationToken cancellationToken) =>
        trail.ExecuteAsync<CalibrationSnapshotView>(async ct =>
        {
            if (!await db.Set<ModelVersion>().AnyAsync(v => v.Model == model && v.Version == version, ct))
            {
                return Error.NotFound($"No version {version} of model '{model}'; only registered versions have calibration state to snapshot (GET /api/models/{model}/versions lists them).");
            }

            var state = registry.Get(model, version);
            var snapshot = new CalibrationSnapshot
            {
                Id = $"cal-{Guid.NewGuid():N}",
                Model = model,
                Version = version,
                StateJson = JsonSerializer.Serialize(state, StateJson),
                TakenAt = time.GetUtcNow(),
                TakenBy = actor,
                Reason = reason,
            };
            db.Add(snapshot);
            return new AuditedChange<CalibrationSnapshotView>(
                ToView(snapshot),
                new AuditRecord(actor, "calibration.snapshot", Target(model, version), new { snapshotId = snapshot.Id, state, reason }, model));
        }, cancellationToken);

    async Task<Result<string>> ICalibrationSnapshots.TakeAsync(string model, int version, string actor, string? reason, CancellationToken cancellationToken) =>
        (await SnapshotAsync(model, version, actor, reason, cancellationToken)).Map(view => view.Id);

    async Task<Result<bool>> ICalibrationSnapshots.RestoreAsync(string snapshotId, string actor, CancellationToken cancellationToken) =>
        (await RestoreAsync(snapshotId, actor, cancellationToken)).Map(_ => true);

    /// <summary>Makes the snapshot's state live again for its version; returns that state.</summary>
    public async Task<Result<CalibrationState>> RestoreAsync(string snapshotId, string actor, CancellationToken cancellationToken)
    {
        var restored = await trail.ExecuteAsync<CalibrationSnapshotView>(async ct =>
        {
            var snapshot = await db.Set<CalibrationSnapshot>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == snapshotId, ct);
            if (snapshot is null)
            {
                return Error.NotFound($"No calibration snapshot '{snapshotId}'; list the version's snapshots and restore one of their ids.");
            }

            var view = ToView(snapshot);
            var current = registry.Get(view.Model, view.Version);
            return new AuditedChange<CalibrationSnapshotView>(
                view,
                new AuditRecord(actor, "calibration.restored", Target(view.Model, view.Version), new { snapshotId, from = current, to = view.State }, view.Model));
        }, cancellationToken);
        if (!restored.IsSuccess)
        {
            return restored.Error;
        }

        registry.Set(restored.Value.Model, restored.Value.Version, restored.Value.State);
        return restored.Value.State;
    }

    /// <summary>The version's snapshots, newest first.</summary>
    public async Task<IReadOnlyList<CalibrationSnapshotView>> ListAsync(string model, int version, CancellationToken cancellationToken)
    {
        var rows = await db.Set<CalibrationSnapshot>().AsNoTracking()
            .Where(s => s.Model == model && s.Version == version)
            .OrderByDescending(s => s.TakenAt)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(ToView)];
    }

    private static string Target(string model, int version) => $"model:{model}/versions/{version}/calibration";

    private static CalibrationSnapshotView ToView(CalibrationSnapshot snapshot)
    {
        // A row that does not parse was written by something other than this class: an
        // infrastructure fault, not an expected failure.
        var state = JsonSerializer.Deserialize<CalibrationState>(snapshot.StateJson, StateJson) is { IsValid: true } parsed
            ? parsed
            : throw new InvalidOperationException($"Calibration snapshot '{snapshot.Id}' holds no valid state: {snapshot.StateJson}");
        return new CalibrationSnapshotView(snapshot.Id, snapshot.Model, snapshot.Version, state, snapshot.TakenAt, snapshot.TakenBy, snapshot.Reason);
    }
}
