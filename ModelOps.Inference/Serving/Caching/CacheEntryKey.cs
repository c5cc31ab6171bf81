namespace ModelOps.Inference.Serving.Caching;

/// <summary>
/// An entry's key inside a namespace: the encoder reference and the input hash. The hash alone
/// is not trusted; a lookup also compares the stored input (<see cref="CacheEntry.Matches"/>).
/// </summary>
internal readonly record struct CacheEntryKey(string? Encoder, ulong InputHash);
