using ModelOps.Core.Common;

namespace ModelOps.Core.Serving;

/// <summary>Loads and warms a registered version on the serving plane (implemented by the inference plane).</summary>
public interface IVersionWarmup
{
    /// <summary>
    /// Ensures the version is loaded, warm and healthy, or says why it cannot be. A version
    /// warmed only for this check is let go again (it retires after the grace period unless routed).
    /// </summary>
    Task<Result<bool>> CheckWarmAsync(string model, int version, CancellationToken cancellationToken);
}
