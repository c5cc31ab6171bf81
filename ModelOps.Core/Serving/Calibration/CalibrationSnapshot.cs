namespace ModelOps.Core.Serving.Calibration;

/// <summary>
/// A saved copy of one version's online calibration state, restorable by <see cref="Id"/>
/// (a rollback restores the state the baseline had when the rollout began).
/// </summary>
public sealed class CalibrationSnapshot
{
    public required string Id { get; set; }

    public required string Model { get; set; }

    public int Version { get; set; }

    /// <summary>The state's own serialised form.</summary>
    public required string StateJson { get; set; }

    public DateTimeOffset TakenAt { get; set; }

    public required string TakenBy { get; set; }

    public string? Reason { get; set; }
}
