using ModelOps.Core.Common;
using ModelOps.Core.Serving.Caching;
using ModelOps.Inference.Serving.Log;
using ModelOps.Inference.Serving.Routing;

namespace ModelOps.Inference.Serving.Caching;

/// <summary>
/// Fills a version's cache namespace from its most recent distinct inputs in the inference log,
/// run through its warm session, so a version about to take traffic starts with hits.
/// </summary>
public sealed class CachePrewarmer(PredictionCache cache, RequestRouter router, InferenceLogReader logReader) : ICachePrewarmer
{
    public async Task<Result<int>> PrewarmAsync(string model, int version, int limit, CancellationToken cancellationToken)
    {
        if (!cache.IsEnabled(model))
        {
            return Error.Conflict($"The prediction cache is off for '{model}'; add it to ModelOps:Inference:Cache:Models first.");
        }

        if (router.Lease(model, version) is not { } session)
        {
            return Error.Conflict($"{model} v{version} is not warm; route traffic to it (or keep it warm) before pre-warming its cache.");
        }

        try
        {
            var inputs = await logReader.RecentInputsAsync(model, version, limit, cancellationToken);
            var usable = inputs.Where(input => input.Length == session.InputWidth).ToList();
            var v = session.Version;
            return await cache.PrewarmAsync(model, version, v.Digest, v.EncoderRef, usable, input =>
            {
                var output = new float[session.OutputWidth];
                session.RunSingle(input, output);
                return ValueTask.FromResult(output);
            }, cancellationToken);
        }
        finally
        {
            session.Release();
        }
    }
}
