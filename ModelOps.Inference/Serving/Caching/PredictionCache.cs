using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Inference.Serving.Caching;

/// <summary>
/// Cached predictions of this process (a DI singleton), one bounded namespace per loaded version.
/// </summary>
/// <remarks>
/// <para>Key: (version digest, encoder reference, hash of the input bytes). The digest names the
/// namespace, so two versions never share an entry, even with the same encoder and input.
/// A hit also compares the stored input with the request's, so a hash collision is a miss,
/// never someone else's prediction.</para>
/// <para>Outputs returned by <see cref="TryGet"/> are the cache's own array, shared by every
/// hit: callers must treat it as read-only (copy before changing it). This is what keeps the hit
/// path free of allocations. <see cref="Set"/> stores copies, so callers may reuse their buffers.</para>
/// <para>Call <see cref="Evict"/> when a version is unloaded; a namespace otherwise lives until
/// then (each is bounded by <see cref="PredictionCacheOptions.MaxEntriesPerVersion"/>).</para>
/// </remarks>
public sealed class PredictionCache : IRetiredVersionSink
{
    private readonly ConcurrentDictionary<CacheNamespaceKey, CacheNamespace> _namespaces = new();
    private readonly FrozenSet<string> _enabled;
    private readonly int _capacity;
    private readonly InputHasher _hash;

    public PredictionCache(IOptions<PredictionCacheOptions> options)
        : this(options, static input => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(input)))
    {
    }

    internal PredictionCache(IOptions<PredictionCacheOptions> options, InputHasher hash)
    {
        _enabled = options.Value.Models.ToFrozenSet(StringComparer.Ordinal);
        _capacity = options.Value.MaxEntriesPerVersion;
        _hash = hash;
    }

    public bool IsEnabled(string model) => _enabled.Contains(model);

    /// <summary>
    /// Looks the input up in the version's namespace. On a hit, <paramref name="outputs"/> is the
    /// stored array: read-only for the caller. Always a miss (and not counted) for a disabled model.
    /// </summary>
    public bool TryGet(string model, int version, string digest, string? encoder, ReadOnlySpan<float> input, out float[] outputs)
    {
        if (!IsEnabled(model))
        {
            outputs = [];
            return false;
        }

        return Namespace(model, version, digest).TryGet(new CacheEntryKey(encoder, _hash(input)), input, out outputs);
    }

    /// <summary>Stores copies of the input and outputs; a no-op for a disabled model.</summary>
    public void Set(string model, int version, string digest, string? encoder, ReadOnlySpan<float> input, ReadOnlySpan<float> outputs)
    {
        if (IsEnabled(model))
        {
            Namespace(model, version, digest).Set(new CacheEntryKey(encoder, _hash(input)), input, outputs);
        }
    }

    /// <summary>The version's session was disposed: its namespace goes with it.</summary>
    public void Retired(ServableVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        _namespaces.TryRemove(new CacheNamespaceKey(version.Model, version.Version, version.Digest), out _);
    }

    /// <summary>Drops every namespace of the digest (the version was unloaded); returns how many.</summary>
    public int Evict(string digest)
    {
        var dropped = 0;
        foreach (var key in _namespaces.Keys)
        {
            if (key.Digest == digest && _namespaces.TryRemove(key, out _))
            {
                dropped++;
            }
        }

        return dropped;
    }

    /// <summary>
    /// Fills the version's namespace by running <paramref name="recentInputs"/> through
    /// <paramref name="run"/> (e.g. the warm ONNX session) before it takes traffic. Inputs already
    /// cached are skipped and it stops when the namespace is full. Returns entries added.
    /// Moves no hit or miss counter.
    /// </summary>
    public async Task<int> PrewarmAsync(
        string model,
        int version,
        string digest,
        string? encoder,
        IReadOnlyList<float[]> recentInputs,
        Func<float[], ValueTask<float[]>> run,
        CancellationToken cancellationToken)
    {
        if (!IsEnabled(model))
        {
            return 0;
        }

        var space = Namespace(model, version, digest);
        var added = 0;
        foreach (var input in recentInputs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (space.IsFull)
            {
                break;
            }

            var key = new CacheEntryKey(encoder, _hash(input));
            if (space.Contains(key, input))
            {
                continue;
            }

            var outputs = await run(input);
            if (space.Set(key, input, outputs))
            {
                added++;
            }
        }

        return added;
    }

    /// <summary>Counters per live namespace, ordered by model then version.</summary>
    public IReadOnlyList<CacheStats> Stats() =>
        [.. _namespaces.Values.Select(n => n.Stats()).OrderBy(s => s.Model, StringComparer.Ordinal).ThenBy(s => s.Version)];

    private CacheNamespace Namespace(string model, int version, string digest)
    {
        var key = new CacheNamespaceKey(model, version, digest);
        return _namespaces.TryGetValue(key, out var existing)
            ? existing
            : _namespaces.GetOrAdd(key, static (k, capacity) => new CacheNamespace(k, capacity), _capacity);
    }
}
