using System.Collections.Concurrent;

namespace ModelOps.Inference.Serving.Caching;

/// <summary>
/// One version's entries, bounded by CLOCK (second-chance) eviction.
/// </summary>
/// <remarks>
/// Why CLOCK: a hit only sets a bit on the entry, so reads stay lock-free and allocation-free
/// (LRU would reorder a list on every hit, under a lock). Random eviction would be as cheap on
/// reads but throws out hot entries as readily as cold ones; CLOCK approximates LRU.
/// New entries start unreferenced, so an input seen once is the first to go.
/// Writers (misses) serialise on one lock per namespace; that is what makes the bound exact
/// under concurrent writers, and a miss already pays for a model run, which dwarfs the lock.
/// </remarks>
internal sealed class CacheNamespace(CacheNamespaceKey key, int capacity)
{
    private readonly ConcurrentDictionary<CacheEntryKey, CacheEntry> _entries = new();
    private readonly List<CacheEntry> _ring = [];
    private readonly Lock _writeLock = new();
    private int _hand;
    private long _hits;
    private long _misses;

    public CacheNamespaceKey Key { get; } = key;

    /// <summary>Counts the lookup map, not the ring, so a leak between the two would show.</summary>
    public int Count => _entries.Count;

    public bool IsFull => Count >= capacity;

    public bool TryGet(CacheEntryKey entryKey, ReadOnlySpan<float> input, out float[] outputs)
    {
        if (Find(entryKey, input) is { } entry)
        {
            entry.MarkReferenced();
            Interlocked.Increment(ref _hits);
            outputs = entry.Outputs;
            return true;
        }

        Interlocked.Increment(ref _misses);
        outputs = [];
        return false;
    }

    /// <summary>A lookup that moves no counter and no reference bit (used by pre-warm).</summary>
    public bool Contains(CacheEntryKey entryKey, ReadOnlySpan<float> input) => Find(entryKey, input) is not null;

    /// <summary>Stores a copy of input and outputs; true when a new entry was added.</summary>
    public bool Set(CacheEntryKey entryKey, ReadOnlySpan<float> input, ReadOnlySpan<float> outputs)
    {
        lock (_writeLock)
        {
            if (_entries.TryGetValue(entryKey, out var existing))
            {
                if (existing.Matches(input))
                {
                    return false;
                }

                // A hash collision: the newer input takes the slot. Lookups compare inputs, so the
                // displaced one simply misses from now on.
                Place(new CacheEntry(entryKey, input.ToArray(), outputs.ToArray(), existing.Slot));
                return false;
            }

            var slot = _ring.Count < capacity ? AppendSlot() : EvictOne();
            Place(new CacheEntry(entryKey, input.ToArray(), outputs.ToArray(), slot));
            return true;
        }
    }

    public CacheStats Stats()
    {
        var hits = Interlocked.Read(ref _hits);
        var misses = Interlocked.Read(ref _misses);
        var lookups = hits + misses;
        return new CacheStats(Key.Model, Key.Version, hits, misses, Count, lookups == 0 ? 0 : (double)hits / lookups);
    }

    private CacheEntry? Find(CacheEntryKey entryKey, ReadOnlySpan<float> input) =>
        _entries.TryGetValue(entryKey, out var entry) && entry.Matches(input) ? entry : null;

    // Caller holds _writeLock.
    private void Place(CacheEntry entry)
    {
        if (entry.Slot == _ring.Count)
        {
            _ring.Add(entry);
        }
        else
        {
            _ring[entry.Slot] = entry;
        }

        _entries[entry.Key] = entry;
    }

    // Caller holds _writeLock. The new entry is added by Place at this index.
    private int AppendSlot() => _ring.Count;

    // Caller holds _writeLock. Terminates within two sweeps: the first clears every bit it passes.
    private int EvictOne()
    {
        while (true)
        {
            var slot = _hand;
            _hand = (_hand + 1) % _ring.Count;
            var candidate = _ring[slot];
            if (!candidate.TakeSecondChance())
            {
                _entries.TryRemove(candidate.Key, out _);
                return slot;
            }
        }
    }
}
