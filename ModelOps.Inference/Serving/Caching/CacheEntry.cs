using System.Runtime.InteropServices;

namespace ModelOps.Inference.Serving.Caching;

/// <summary>
/// One cached prediction. Immutable except for the CLOCK reference bit, which hits set without
/// a lock and the evicting writer clears.
/// </summary>
internal sealed class CacheEntry(CacheEntryKey key, float[] input, float[] outputs, int slot)
{
    private int _referenced;

    public CacheEntryKey Key { get; } = key;

    public float[] Outputs { get; } = outputs;

    /// <summary>Position in the namespace's CLOCK ring.</summary>
    public int Slot { get; } = slot;

    /// <summary>
    /// Bitwise comparison: stricter than float equality (which calls -0 and +0 equal, and NaN
    /// unequal to itself), so a hit means the model would have seen exactly these bytes.
    /// </summary>
    public bool Matches(ReadOnlySpan<float> candidate) =>
        MemoryMarshal.AsBytes(input.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(candidate));

    public void MarkReferenced()
    {
        // Read before writing so a hot entry does not bounce its cache line between cores on every hit.
        if (Volatile.Read(ref _referenced) == 0)
        {
            Volatile.Write(ref _referenced, 1);
        }
    }

    /// <summary>Clears the reference bit; true when it was set (the entry gets a second chance).</summary>
    public bool TakeSecondChance() => Interlocked.Exchange(ref _referenced, 0) == 1;
}
