using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Inference.Serving.Caching;

/// <summary>
/// Runs one row through the version's cache namespace when the model is cached (keyed by digest,
/// encoder and input, so versions never share), else straight through the session.
/// </summary>
public sealed class CachedRunner(PredictionCache cache)
{
    /// <summary>The outputs in a fresh array: callers may keep it (the log does).</summary>
    public float[] Run(WarmSession session, ReadOnlySpan<float> input)
    {
        var version = session.Version;
        var cached = cache.IsEnabled(version.Model);
        if (cached && cache.TryGet(version.Model, version.Version, version.Digest, version.EncoderRef, input, out var hit))
        {
            return [.. hit];
        }

        var output = new float[session.OutputWidth];
        session.RunSingle(input, output);
        if (cached)
        {
            cache.Set(version.Model, version.Version, version.Digest, version.EncoderRef, input, output);
        }

        return output;
    }
}
