using ModelOps.Core.Common;

namespace ModelOps.Core.Serving.Calibration;

/// <summary>
/// Take and restore a version's online calibration state (implemented by the inference plane),
/// so the rollout engine can put a rolled-back version's calibration back as it was. Audited.
/// </summary>
public interface ICalibrationSnapshots
{
    /// <summary>Saves the version's live state; returns the snapshot id.</summary>
    Task<Result<string>> TakeAsync(string model, int version, string actor, string? reason, CancellationToken cancellationToken);

    /// <summary>Makes the snapshot's state live again for its version.</summary>
    Task<Result<bool>> RestoreAsync(string snapshotId, string actor, CancellationToken cancellationToken);
}
