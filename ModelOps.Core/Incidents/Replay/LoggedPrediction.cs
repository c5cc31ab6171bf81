using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Core.Incidents.Replay;

/// <summary>
/// One of the candidate's logged predictions as a replay reads it: the encoded input the candidate
/// saw (null when not logged), its raw features (personal ones masked), and the score it answered.
/// (<see cref="At"/>, <see cref="Id"/>) orders the log and is the cursor of the next read.
/// </summary>
public sealed record LoggedPrediction(
    long Id,
    DateTimeOffset At,
    string? Region,
    IReadOnlyDictionary<string, FeatureValue>? Features,
    float[]? Input,
    double Score);
