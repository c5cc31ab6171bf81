using ModelOps.Core.Serving.Log;

namespace ModelOps.Core.Incidents.Samples;

/// <summary>The inference log as incident sampling reads it; implemented by the inference plane.</summary>
public interface ILoggedRequests
{
    /// <summary>Every row a version logged in [<paramref name="from"/>, <paramref name="to"/>], as keys only (cheap to hold for a long rollout).</summary>
    Task<IReadOnlyList<LoggedRequestKey>> KeysAsync(string model, int version, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>The rows with these ids; ids the retention sweep already deleted are missing.</summary>
    Task<IReadOnlyList<InferenceLogEntry>> RowsAsync(IReadOnlyList<long> logIds, CancellationToken cancellationToken);
}
