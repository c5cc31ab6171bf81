using System.Numerics;

namespace ModelOps.Inference.Serving.Metrics;

/// <summary>
/// A log-linear (HdrHistogram layout) latency histogram in microseconds, 1 µs to 2^26-1 µs
/// (~67 s; larger values are clamped). Each power-of-two range is split into 64 equal
/// sub-buckets, so a bucket is at most 1/64 of its lower bound wide; values under 128 µs are
/// exact. <see cref="ValueAtQuantile"/> returns the midpoint of the bucket holding the
/// nearest-rank sample, hence its relative error against that sample is at most 1/128 (0.79 %).
/// Recording is lock-free (Interlocked on the counts) so many request threads can share one.
/// </summary>
public sealed class LatencyHistogram
{
    public const long MaxValueMicroseconds = (1L << 26) - 1;
    public const double MaxRelativeError = 1.0 / 128;

    private const int SubBucketHalfCountBits = 6;
    private const int SubBucketHalfCount = 1 << SubBucketHalfCountBits;
    private const int BucketCount = 20;

    private readonly long[] counts = new long[(BucketCount + 1) * SubBucketHalfCount];
    private long totalCount;

    public long TotalCount => Volatile.Read(ref totalCount);

    public void RecordValue(long microseconds)
    {
        var index = IndexOf(Math.Clamp(microseconds, 0, MaxValueMicroseconds));
        Interlocked.Increment(ref counts[index]);
        Interlocked.Increment(ref totalCount);
    }

    /// <summary>Nearest-rank quantile (rank = ceil(q·n)) in µs, or null when empty.</summary>
    public double? ValueAtQuantile(double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantile, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1.0);
        var total = TotalCount;
        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += Volatile.Read(ref counts[i]);
            if (seen >= rank)
            {
                return Midpoint(i);
            }
        }

        // Concurrent recording can raise the total after the walk started; the top bucket is the answer then.
        return Midpoint(LastNonEmpty());
    }

    public void Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < counts.Length; i++)
        {
            var c = Volatile.Read(ref other.counts[i]);
            if (c != 0)
            {
                Interlocked.Add(ref counts[i], c);
                Interlocked.Add(ref totalCount, c);
            }
        }
    }

    /// <summary>
    /// Cumulative counts of values at or below each bound (seconds, ascending), judged by
    /// bucket midpoint, so a count is off only for values within 1/128 of a bound.
    /// </summary>
    public IReadOnlyList<long> CountAtOrBelowMicroseconds(IReadOnlyList<double> boundsSeconds)
    {
        var result = new long[boundsSeconds.Count];
        for (var i = 0; i < counts.Length; i++)
        {
            var c = Volatile.Read(ref counts[i]);
            if (c == 0)
            {
                continue;
            }

            var seconds = Midpoint(i) / 1_000_000.0;
            for (var b = 0; b < result.Length; b++)
            {
                if (seconds <= boundsSeconds[b])
                {
                    result[b] += c;
                }
            }
        }

        return result;
    }

    public void Reset()
    {
        Array.Clear(counts);
        Volatile.Write(ref totalCount, 0);
    }

    internal static int IndexOf(long value)
    {
        var bucket = Math.Max(0, 63 - BitOperations.LeadingZeroCount((ulong)value | ((1UL << (SubBucketHalfCountBits + 1)) - 1)) - SubBucketHalfCountBits);
        var subBucket = (int)(value >> bucket);
        return ((bucket + 1) << SubBucketHalfCountBits) + subBucket - SubBucketHalfCount;
    }

    private static double Midpoint(int index)
    {
        var bucket = (index >> SubBucketHalfCountBits) - 1;
        var subBucket = (index & (SubBucketHalfCount - 1)) + SubBucketHalfCount;
        if (bucket < 0)
        {
            subBucket -= SubBucketHalfCount;
            bucket = 0;
        }

        var lowest = (long)subBucket << bucket;
        var width = 1L << bucket;
        return width == 1 ? lowest : lowest + ((width - 1) / 2.0);
    }

    private int LastNonEmpty()
    {
        for (var i = counts.Length - 1; i > 0; i--)
        {
            if (Volatile.Read(ref counts[i]) != 0)
            {
                return i;
            }
        }

        return 0;
    }
}
