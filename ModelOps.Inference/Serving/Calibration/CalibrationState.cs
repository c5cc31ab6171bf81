using System.Text.Json.Serialization;

namespace ModelOps.Inference.Serving.Calibration;

/// <summary>
/// Platt parameters of one version: calibrated p' = sigmoid(<see cref="A"/>·logit(p) + <see cref="B"/>),
/// and how many outcomes shaped them. Invariant: A and B are finite.
/// </summary>
public sealed record CalibrationState(double A, double B, long Observations)
{
    /// <summary>A = 1, B = 0: the score is passed through (up to clamping).</summary>
    public static CalibrationState Identity { get; } = new(1, 0, 0);

    [JsonIgnore]
    public bool IsValid => double.IsFinite(A) && double.IsFinite(B) && Observations >= 0;
}
