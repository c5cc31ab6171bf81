using System.Diagnostics;
using ModelOps.Inference.Serving.Routing;

namespace ModelOps.Benchmarks.Rollouts;

/// <summary>
/// Watches the live routing table from outside the rollback path: once armed with a candidate, it
/// notes the first moment <see cref="TrafficRouter.Current"/> routes nothing to it (no weight, no
/// mirror). Polls every millisecond on its own thread — a resolution of about a millisecond, and
/// no core spent spinning beside the rollback it measures.
/// </summary>
public sealed class RestoreWatcher : IDisposable
{
    private readonly TrafficRouter _router;
    private readonly string _model;
    private readonly Thread _thread;
    private volatile bool _stopped;
    private int _candidate;
    private long _restoredAt;

    private RestoreWatcher(TrafficRouter router, string model)
    {
        (_router, _model) = (router, model);
        _thread = new Thread(Watch) { IsBackground = true, Name = "restore-watcher" };
        _thread.Start();
    }

    public static RestoreWatcher Start(TrafficRouter router, string model) => new(router, model);

    public void Arm(int candidate)
    {
        Volatile.Write(ref _restoredAt, 0);
        Volatile.Write(ref _candidate, candidate);
    }

    /// <summary>The Stopwatch timestamp at which all traffic was seen off the candidate; waits up to <paramref name="timeout"/>.</summary>
    public long? WaitRestored(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (Volatile.Read(ref _restoredAt) == 0 && watch.Elapsed < timeout)
        {
            Thread.Sleep(1);
        }

        var at = Volatile.Read(ref _restoredAt);
        Volatile.Write(ref _candidate, 0);
        return at == 0 ? null : at;
    }

    public void Dispose()
    {
        _stopped = true;
        _thread.Join();
    }

    private void Watch()
    {
        while (!_stopped)
        {
            var candidate = Volatile.Read(ref _candidate);
            if (candidate != 0 && Volatile.Read(ref _restoredAt) == 0
                && _router.Current(_model) is { } table && !table.RoutableVersions.Contains(candidate) && table.Shadow is null)
            {
                Volatile.Write(ref _restoredAt, Stopwatch.GetTimestamp());
            }

            Thread.Sleep(1);
        }
    }
}
