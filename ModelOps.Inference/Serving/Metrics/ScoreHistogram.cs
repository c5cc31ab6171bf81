namespace ModelOps.Inference.Serving.Metrics;

/// <summary>
/// The fixed bins the metrics store counts served scores on, the same for every version of every
/// model so a candidate's output histogram and its baseline's compare bin for bin (score_psi):
/// 20 equal bins over [0, 1], the range of the probabilities ModelOps' models serve (the first
/// output; a score outside it counts in the end bin it lies beyond). A model scoring on another
/// scale piles into the end bins, where PSI says little: score_psi is for probability outputs.
/// </summary>
public static class ScoreHistogram
{
    public const int Bins = 20;

    /// <summary>The bin of <paramref name="score"/>, or null for NaN (not counted).</summary>
    public static int? Bin(double score) =>
        double.IsNaN(score) ? null : Math.Clamp((int)Math.Floor(score * Bins), 0, Bins - 1);
}
