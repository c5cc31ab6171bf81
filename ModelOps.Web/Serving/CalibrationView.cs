using ModelOps.Inference.Serving.Calibration;

namespace ModelOps.Web.Serving;

/// <summary>A version's live calibration parameters and its saved snapshots (newest first).</summary>
public sealed record CalibrationView(string Model, int Version, bool Enabled, CalibrationState State, IReadOnlyList<CalibrationSnapshotView> Snapshots);
