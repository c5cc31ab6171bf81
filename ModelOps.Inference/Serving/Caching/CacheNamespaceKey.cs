namespace ModelOps.Inference.Serving.Caching;

/// <summary>
/// Identifies one version's namespace. The digest is what makes two versions never share
/// entries; model and version are carried so stats can name them (a digest is unique per
/// model, so the three together are no finer than the digest within a model).
/// </summary>
internal readonly record struct CacheNamespaceKey(string Model, int Version, string Digest);
