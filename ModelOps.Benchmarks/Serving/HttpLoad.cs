using System.Diagnostics;

namespace ModelOps.Benchmarks.Serving;

/// <summary>
/// A closed-loop HTTP load client: <c>workers</c> concurrent loops, each sending its next
/// request as soon as the previous answer is fully read, over one keep-alive connection per
/// worker. Every request's latency (send to last body byte) is kept, so percentiles are exact.
/// </summary>
public sealed class HttpLoad : IDisposable
{
    private readonly HttpClient _client;
    private readonly int _workers;

    public HttpLoad(Uri baseAddress, int workers)
    {
        _workers = workers;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = workers,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        _client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Workers => _workers;

    public HttpClient Client => _client;

    /// <summary>Runs every worker for <paramref name="duration"/>; <paramref name="request"/> builds request number i of a worker.</summary>
    public async Task<LoadRun> RunAsync(TimeSpan duration, Func<int, HttpRequestMessage> request)
    {
        var watch = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, _workers).Select(w => Task.Run(async () =>
        {
            var latencies = new List<long>(64 * 1024);
            var errors = 0L;
            string? firstError = null;
            for (var i = w * 7_919; watch.Elapsed < duration; i++)
            {
                using var message = request(i);
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseContentRead);
                    latencies.Add(Stopwatch.GetTimestamp() - sent);
                    if (!response.IsSuccessStatusCode)
                    {
                        errors++;
                        firstError ??= $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    }
                }
                catch (HttpRequestException exception)
                {
                    latencies.Add(Stopwatch.GetTimestamp() - sent);
                    errors++;
                    firstError ??= exception.Message;
                }
            }

            return (latencies, errors, firstError);
        })));
        var elapsed = watch.Elapsed;
        return new LoadRun(
            results.Sum(r => (long)r.latencies.Count),
            results.Sum(r => r.errors),
            results.Select(r => r.firstError).FirstOrDefault(e => e is not null),
            elapsed,
            [.. results.Select(r => r.latencies)]);
    }

    /// <summary>
    /// Runs every worker until <paramref name="stop"/> is cancelled; with <paramref name="requestsPerSecond"/>
    /// the workers are paced to that total rate (a worker ahead of its share waits a millisecond),
    /// else closed-loop. Any exception of a call (a timeout too) counts as a failed request.
    /// </summary>
    public async Task<LoadRun> RunUntilAsync(CancellationToken stop, Func<int, HttpRequestMessage> request, double? requestsPerSecond = null)
    {
        var perWorker = requestsPerSecond / _workers;
        var watch = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, _workers).Select(w => Task.Run(async () =>
        {
            var latencies = new List<long>(64 * 1024);
            var errors = 0L;
            string? firstError = null;
            var next = w * 7_919;
            while (!stop.IsCancellationRequested)
            {
                if (perWorker is { } rate && latencies.Count >= watch.Elapsed.TotalSeconds * rate)
                {
                    await Task.Delay(1, CancellationToken.None);
                    continue;
                }

                using var message = request(next++);
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
                    latencies.Add(Stopwatch.GetTimestamp() - sent);
                    if (!response.IsSuccessStatusCode)
                    {
                        errors++;
                        firstError ??= $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}";
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
                {
                    latencies.Add(Stopwatch.GetTimestamp() - sent);
                    errors++;
                    firstError ??= exception.Message;
                }
            }

            return (latencies, errors, firstError);
        }, CancellationToken.None)));
        return new LoadRun(
            results.Sum(r => (long)r.latencies.Count),
            results.Sum(r => r.errors),
            results.Select(r => r.firstError).FirstOrDefault(e => e is not null),
            watch.Elapsed,
            [.. results.Select(r => r.latencies)]);
    }

    public void Dispose() => _client.Dispose();
}
