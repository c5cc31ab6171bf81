using ModelOps.Core.Incidents.Replay;
using ModelOps.Core.Registry.Encoding;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Inference.Incidents.Replay;

/// <summary>
/// Scores logged rows in one batched run: the input the candidate saw when its width fits the
/// target (the preflight made candidate and target share the encoder), else the raw features
/// re-encoded with the target's encoder; a row with neither is NaN. The score is the first
/// output of the row, as serving scores it (uncalibrated: calibration is a serving-time layer).
/// </summary>
internal sealed class OfflineSession(WarmSession session) : IOfflineSession
{
    public FeatureEncoderSpec? Encoder => session.Version.Encoder?.Spec;

    public double[] Score(IReadOnlyList<LoggedPrediction> rows)
    {
        var width = session.InputWidth;
        var input = new float[rows.Count * width];
        var scorable = new bool[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            scorable[i] = Fill(rows[i], input.AsSpan(i * width, width));
        }

        var scores = new double[rows.Count];
        var output = session.RunBatch(input, rows.Count)[0];
        var perRow = output.Data.Length / Math.Max(1, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            scores[i] = scorable[i] ? output.Data[i * perRow] : double.NaN;
        }

        return scores;
    }

    public void Dispose() => session.Dispose();

    private bool Fill(LoggedPrediction row, Span<float> destination)
    {
        if (row.Input is { } logged && logged.Length == destination.Length && Array.TrueForAll(logged, float.IsFinite))
        {
            logged.CopyTo(destination);
            return true;
        }

        return row.Features is { } features && session.Version.Encoder is { } encoder && encoder.OutputWidth == destination.Length
            && encoder.EncodeInto(features, destination).IsSuccess;
    }
}
