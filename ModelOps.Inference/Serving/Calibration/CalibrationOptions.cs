using System.ComponentModel.DataAnnotations;

namespace ModelOps.Inference.Serving.Calibration;

/// <summary>The <c>ModelOps:Inference:Calibration</c> section.</summary>
public sealed class CalibrationOptions
{
    public const string Section = "ModelOps:Inference:Calibration";

    /// <summary>Models whose scores are calibrated online. Empty (the default): every score passes through unchanged.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>
    /// Step size of the online gradient descent. Larger tracks drift faster but leaves the
    /// parameters noisier; at 0.01 they settle within about 0.1 of the truth after ~10^5 outcomes.
    /// </summary>
    [Range(1e-6, 1.0)]
    public double LearningRate { get; set; } = 0.01;
}
