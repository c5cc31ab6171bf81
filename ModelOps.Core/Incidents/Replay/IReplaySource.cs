namespace ModelOps.Core.Incidents.Replay;

/// <summary>The candidate's answered predictions in the inference log (implemented over the log's own database).</summary>
public interface IReplaySource
{
    /// <summary>Answered predictions of <paramref name="version"/> (live or mirrored) logged in [from, to], at most <paramref name="cap"/>.</summary>
    Task<int> CountAsync(string model, int version, DateTimeOffset from, DateTimeOffset to, int cap, CancellationToken cancellationToken);

    /// <summary>The next at most <paramref name="limit"/> of them after <paramref name="after"/> (null: from the first), oldest first.</summary>
    Task<IReadOnlyList<LoggedPrediction>> ReadAsync(
        string model, int version, DateTimeOffset from, DateTimeOffset to, LoggedPrediction? after, int limit, CancellationToken cancellationToken);
}
