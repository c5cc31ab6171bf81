using System.Collections.Concurrent;
using System.Globalization;

namespace ModelOps.Inference.Serving.Requests;

/// <summary>
/// The last <c>capacity</c> answered requests, by id, so feedback (which usually follows within
/// seconds) finds its request without waiting for the log's batch to reach the database; older
/// ids fall back to the log.
/// Ids this service issues (<see cref="NewId"/>) carry their own slot: 16 hex digits of a
/// sequence number, then 16 random hex digits. Such a request lives in a ring indexed by
/// sequence modulo capacity: adding and finding it is one array access, no hashing and no lock
/// (measured ~1.3 µs per request for the dictionary + queue this replaced). Caller-supplied ids
/// (an OIP <c>id</c>) use a bounded dictionary with FIFO eviction. A hit always compares the whole
/// id, so a recycled slot never answers for another request.
/// </summary>
public sealed class RecentRequests(int capacity, Random random)
{
    private const int SequenceDigits = 16;
    private const int IdLength = 32;
    private readonly RequestRef?[] _ring = new RequestRef?[capacity];
    private readonly ConcurrentDictionary<string, RequestRef> _named = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _namedOrder = new();
    private long _sequence;
    private int _namedCount;

    /// <summary>Requests held under a caller-supplied id (server-issued ones sit in the ring).</summary>
    public int NamedCount => Volatile.Read(ref _namedCount);

    /// <summary>A new request id: unique in this process, unguessable (64 random bits), self-locating.</summary>
    public string NewId()
    {
        var sequence = Interlocked.Increment(ref _sequence);
        long salt;
        lock (random)
        {
            salt = random.NextInt64();
        }

        return string.Create(IdLength, (sequence, salt), static (span, state) =>
        {
            state.sequence.TryFormat(span[..SequenceDigits], out _, "x16", CultureInfo.InvariantCulture);
            state.salt.TryFormat(span[SequenceDigits..], out _, "x16", CultureInfo.InvariantCulture);
        });
    }

    /// <summary>
    /// Holds <paramref name="request"/>. A caller-supplied id that happens to look like an issued
    /// one also takes a ring slot; the worst it can do is push an older request to the log path.
    /// </summary>
    public void Add(RequestRef request)
    {
        if (SlotOf(request.RequestId) is { } slot)
        {
            Volatile.Write(ref _ring[slot], request);
            return;
        }

        if (!_named.TryAdd(request.RequestId, request))
        {
            return;
        }

        _namedOrder.Enqueue(request.RequestId);
        Interlocked.Increment(ref _namedCount);
        while (Volatile.Read(ref _namedCount) > capacity && _namedOrder.TryDequeue(out var oldest))
        {
            if (_named.TryRemove(oldest, out _))
            {
                Interlocked.Decrement(ref _namedCount);
            }
        }
    }

    public RequestRef? Find(string requestId)
    {
        if (SlotOf(requestId) is { } slot && Volatile.Read(ref _ring[slot]) is { } held && held.RequestId == requestId)
        {
            return held;
        }

        return _named.GetValueOrDefault(requestId);
    }

    private int? SlotOf(string requestId) =>
        requestId.Length == IdLength
        && long.TryParse(requestId.AsSpan(0, SequenceDigits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var sequence)
        && sequence > 0
        && sequence <= Volatile.Read(ref _sequence)
            ? (int)(sequence % _ring.Length)
            : null;
}
