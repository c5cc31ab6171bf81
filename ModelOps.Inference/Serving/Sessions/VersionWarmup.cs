using ModelOps.Core.Common;
using ModelOps.Core.Serving;

namespace ModelOps.Inference.Serving.Sessions;

/// <summary>
/// Preflight's view of the warm pool: load and warm a version, confirm it is healthy, then let it
/// go again unless the live routing wants it (it retires after the grace period, so a checked
/// candidate is still warm when the rollout starts right after).
/// </summary>
public sealed class VersionWarmup(SessionPool pool) : IVersionWarmup
{
    public async Task<Result<bool>> CheckWarmAsync(string model, int version, CancellationToken cancellationToken)
    {
        var warm = await pool.EnsureWarmAsync(model, version, cancellationToken);
        pool.ReleaseUnwanted(model);
        if (!warm.IsSuccess)
        {
            return warm.Error;
        }

        return pool.FindHealthy(model, version) is not null
            ? true
            : Error.Unavailable($"{model} v{version} loaded but is not healthy: {warm.Value.LastHealthProblem ?? "its golden-input check failed"}.");
    }
}
