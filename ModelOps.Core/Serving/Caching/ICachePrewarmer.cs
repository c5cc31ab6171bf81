using ModelOps.Core.Common;

namespace ModelOps.Core.Serving.Caching;

/// <summary>Fills a version's prediction cache before it takes traffic (implemented by the inference plane).</summary>
public interface ICachePrewarmer
{
    /// <summary>
    /// Runs up to <paramref name="limit"/> of the version's most recent distinct logged inputs
    /// through its warm session into its cache namespace; returns the entries added. Conflict when
    /// the model is not cached or the version is not warm.
    /// </summary>
    Task<Result<int>> PrewarmAsync(string model, int version, int limit, CancellationToken cancellationToken);
}
