using System.Collections.Concurrent;

namespace ModelOps.Inference.Serving.Requests;

/// <summary>
/// The last <c>capacity</c> answered requests, by id, so feedback (which usually follows within
/// seconds) finds its request without waiting for the log's batch to reach the database.
/// Older ids fall back to the log. Bounded: insertion order is kept in a queue and the oldest
/// id is evicted once the capacity is exceeded. The size is kept in its own counter:
/// <see cref="ConcurrentDictionary{TKey, TValue}.Count"/> takes every lock of the dictionary
/// (up to 1,024 once it holds many ids), which cost ~20 µs per request and stalled concurrent ones.
/// </summary>
public sealed class RecentRequests(int capacity = 200_000)
{
    private readonly ConcurrentDictionary<string, RequestRef> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Add(RequestRef request)
    {
        if (!_byId.TryAdd(request.RequestId, request))
        {
            return;
        }

        _order.Enqueue(request.RequestId);
        Interlocked.Increment(ref _count);
        while (Volatile.Read(ref _count) > capacity && _order.TryDequeue(out var oldest))
        {
            if (_byId.TryRemove(oldest, out _))
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }

    public RequestRef? Find(string requestId) => _byId.GetValueOrDefault(requestId);
}
