namespace ModelOps.Inference.Serving.Caching;

/// <summary>
/// Counters of one version's cache namespace since it was created.
/// <see cref="HitRate"/> is hits over lookups, 0 before the first lookup.
/// </summary>
public sealed record CacheStats(string Model, int Version, long Hits, long Misses, int Entries, double HitRate);
