using System.ComponentModel.DataAnnotations;

namespace ModelOps.Inference.Serving.Caching;

/// <summary>The <c>ModelOps:Inference:Cache</c> section.</summary>
public sealed class PredictionCacheOptions
{
    public const string Section = "ModelOps:Inference:Cache";

    /// <summary>
    /// Models whose predictions are cached. Empty (the default) caches nothing: caching is only
    /// correct for deterministic models, so each model opts in by name.
    /// </summary>
    public List<string> Models { get; set; } = [];

    /// <summary>Entries kept per loaded version before the oldest unreferenced ones are evicted.</summary>
    [Range(1, 10_000_000)]
    public int MaxEntriesPerVersion { get; set; } = 50_000;
}
