using ModelOps.Core.Common;
using ModelOps.Core.Registry.Encoding;

namespace ModelOps.Core.Incidents.Replay;

/// <summary>
/// Loads a registered version into a session of its own, apart from the serving pool (so a replay
/// never takes a serving session's lease or threads), to score logged inputs offline.
/// </summary>
public interface IOfflineScorer
{
    Task<Result<IOfflineSession>> OpenAsync(string model, int version, CancellationToken cancellationToken);
}

/// <summary>An offline session: scores a batch (NaN for a row it cannot score), and names its encoder for segmenting.</summary>
public interface IOfflineSession : IDisposable
{
    FeatureEncoderSpec? Encoder { get; }

    double[] Score(IReadOnlyList<LoggedPrediction> rows);
}
