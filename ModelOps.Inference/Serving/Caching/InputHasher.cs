namespace ModelOps.Inference.Serving.Caching;

/// <summary>Hashes an input vector; replaceable in tests to force collisions.</summary>
internal delegate ulong InputHasher(ReadOnlySpan<float> input);
