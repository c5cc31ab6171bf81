using Microsoft.Extensions.Logging;
using ModelOps.Core.Serving.Caching;
using ModelOps.Core.Serving.Calibration;

namespace ModelOps.Core.Rollouts.Engine;

/// <summary>
/// What follows a completed rollback once the target serves everything: the target's calibration
/// state as it was when the rollout started is restored (audited by the calibration service), and
/// the target's cache namespace is pre-warmed from its logged inputs. Neither may undo the
/// rollback: a failure is logged and the rollback stands.
/// </summary>
public sealed partial class RollbackAftercare(ICalibrationSnapshots calibration, ICachePrewarmer prewarmer, Incidents.IncidentEvidenceCopy evidence, ILogger<RollbackAftercare> logger)
{
    /// <summary>How many of the target's recent distinct inputs are run into its cache.</summary>
    public const int PrewarmLimit = 500;

    public async Task ApplyAsync(Rollout rollout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        if (rollout.CalibrationSnapshotId is { } snapshot)
        {
            var restored = await calibration.RestoreAsync(snapshot, RolloutEvaluator.Actor, cancellationToken);
            Log.Calibration(logger, rollout.Id, snapshot, restored.IsSuccess ? "restored" : restored.Error.Detail);
        }

        var warmed = await prewarmer.PrewarmAsync(rollout.Model, rollout.BaselineVersion, PrewarmLimit, cancellationToken);
        Log.Prewarmed(logger, rollout.Id, rollout.BaselineVersion, warmed.IsSuccess ? $"{warmed.Value} entries" : warmed.Error.Detail);
    }

    /// <summary>Once traffic has moved after the decision: the incident's series and sample are copied now (idempotent), not at its first verification run.</summary>
    public async Task CopyEvidenceAsync(Rollout rollout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        if (rollout.IncidentId is { } incidentId && await evidence.CopyAsync(incidentId, cancellationToken))
        {
            Log.EvidenceCopied(logger, rollout.Id, incidentId);
        }
    }

    /// <summary>Snapshots the rollback target's calibration at start; null where calibration is not kept for the model.</summary>
    public async Task<string?> SnapshotAsync(Rollout rollout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var taken = await calibration.TakeAsync(rollout.Model, rollout.BaselineVersion, rollout.StartedBy, $"start of {rollout.Id}", cancellationToken);
        return taken.IsSuccess ? taken.Value : null;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {RolloutId}: calibration snapshot {Snapshot}: {Outcome}")]
        public static partial void Calibration(ILogger logger, string rolloutId, string snapshot, string outcome);

        [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {RolloutId}: series and sample copied into incident {IncidentId}")]
        public static partial void EvidenceCopied(ILogger logger, string rolloutId, string incidentId);

        [LoggerMessage(Level = LogLevel.Information, Message = "Rollout {RolloutId}: cache of v{Version} pre-warmed: {Outcome}")]
        public static partial void Prewarmed(ILogger logger, string rolloutId, int version, string outcome);
    }
}
