using ModelOps.Core.Common;
using ModelOps.Core.Incidents.Replay;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Inference.Incidents.Replay;

/// <summary>
/// Loads a version into an ONNX Runtime session of its own with the serving options (one
/// intra-op thread, no spinning), outside the serving pool: a replay neither leases a serving
/// session nor keeps a retired version alive, and uses at most one core while it runs.
/// </summary>
public sealed class OfflineScorer(ServableVersionLoader loader, TimeProvider time) : IOfflineScorer
{
    public async Task<Result<IOfflineSession>> OpenAsync(string model, int version, CancellationToken cancellationToken)
    {
        var servable = await loader.LoadAsync(model, version, cancellationToken);
        if (!servable.IsSuccess)
        {
            return servable.Error;
        }

        var session = WarmSession.Load(servable.Value, time.GetUtcNow());
        return session.IsSuccess ? new OfflineSession(session.Value) : session.Error;
    }
}
