using System.Collections.Concurrent;
using ModelOps.Core.GameDays;

namespace ModelOps.Web.GameDays;

/// <summary>
/// Runs drills in the background, one task each. At start (before Kestrel listens) it finishes, as
/// interrupted, any drill a previous process left running; at stop it cancels the running drills
/// and waits for their cleanup (canary rolled back, fault cleared, result stored).
/// </summary>
public sealed partial class GameDayWorker(GameDayRunner runner, ILogger<GameDayWorker> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private int _disposed;

    public Task StartAsync(CancellationToken cancellationToken) => runner.RecoverAsync(cancellationToken);

    public void Run(string id) => _running[id] = Task.Run(() => RunAsync(id));

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A host may be stopped again after its services were disposed (a test host's dispose after
        // StopApplication): nothing runs any more then.
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        try
        {
            await _stopping.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            return; // disposed meanwhile: the same case
        }

        await Task.WhenAll(_running.Values).WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Dispose();
        }
    }

    private async Task RunAsync(string id)
    {
        try
        {
            await runner.RunAsync(id, _stopping.Token);
        }
        catch (Exception e)
        {
            // A background task has no caller to throw to: the drill's cleanup already ran (the runner's finally); log it here.
            Log.Failed(logger, id, e);
        }
        finally
        {
            _running.TryRemove(id, out _);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Game day {GameDayId} failed")]
        public static partial void Failed(ILogger logger, string gameDayId, Exception exception);
    }
}
