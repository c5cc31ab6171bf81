namespace ModelOps.Inference.Serving.Calibration;

/// <summary>A saved copy of one version's calibration state.</summary>
public sealed record CalibrationSnapshotView(
    string Id, string Model, int Version, CalibrationState State, DateTimeOffset TakenAt, string TakenBy, string? Reason);
