using System.Collections.Concurrent;

namespace ModelOps.Inference.Serving.Requests;

/// <summary>
/// The last <c>capacity</c> answered requests, by id, so feedback (which usually follows within
/// seconds) finds its request without waiting for the log's batch to reach the database.
/// Older ids fall back to the log. Bounded: insertion order is kept in a queue and the oldest
/// id is evicted once the capacity is exceeded.
/// </summary>
public sealed class RecentRequests(int capacity = 200_000)
{
    private readonly ConcurrentDictionary<string, RequestRef> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public int Count => _byId.Count;

    public void Add(RequestRef request)
    {
        if (!_byId.TryAdd(request.RequestId, request))
        {
            return;
        }

        _order.Enqueue(request.RequestId);
        while (_byId.Count > capacity && _order.TryDequeue(out var oldest))
        {
            _byId.TryRemove(oldest, out _);
        }
    }

    public RequestRef? Find(string requestId) => _byId.GetValueOrDefault(requestId);
}
