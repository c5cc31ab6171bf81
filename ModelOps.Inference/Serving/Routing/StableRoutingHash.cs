using System.Buffers;
using System.Text;

namespace ModelOps.Inference.Serving.Routing;

/// <summary>
/// The process-independent hash behind sticky routing: 64-bit FNV-1a over UTF-8 bytes.
/// string.GetHashCode is randomised per process, so a key would change version on every
/// restart; FNV-1a is fixed by its published constants and gives the same bucket everywhere.
/// </summary>
public static class StableRoutingHash
{
    public const ulong OffsetBasis = 14695981039346656037;
    public const ulong Prime = 1099511628211;

    private const int StackLimit = 512;
    private const string MirrorSalt = "shadow\n";

    public static ulong Fnv1a64(ReadOnlySpan<byte> bytes, ulong state = OffsetBasis)
    {
        foreach (var b in bytes)
        {
            state = (state ^ b) * Prime;
        }

        return state;
    }

    /// <summary>FNV-1a of UTF-8(<paramref name="model"/> + '\n' + <paramref name="key"/>): picks the version.</summary>
    public static ulong RoutingHash(string model, string key) => Append(Append(Append(OffsetBasis, model), "\n"), key);

    /// <summary>
    /// The same hash with a "shadow\n" prefix: decides mirroring independently of the version
    /// bucket, so the mirrored share is not skewed towards either arm.
    /// </summary>
    public static ulong MirrorHash(string model, string key) => Append(RoutingHashPrefix(model, MirrorSalt), key);

    /// <summary>
    /// Maps a hash to [0,1). FNV-1a leaves the top bits poorly mixed for keys that differ only at
    /// the end ("user-1", "user-2"), so a MurmurHash3 finaliser spreads them before the top 53
    /// bits become the double's mantissa.
    /// </summary>
    public static double ToUnitInterval(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return (hash >> 11) * (1.0 / (1UL << 53));
    }

    private static ulong RoutingHashPrefix(string model, string salt) => Append(Append(Append(OffsetBasis, salt), model), "\n");

    private static ulong Append(ulong state, string text)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max <= StackLimit)
        {
            Span<byte> buffer = stackalloc byte[StackLimit];
            var written = Encoding.UTF8.GetBytes(text, buffer);
            return Fnv1a64(buffer[..written], state);
        }

        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var written = Encoding.UTF8.GetBytes(text, rented);
            return Fnv1a64(rented.AsSpan(0, written), state);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
