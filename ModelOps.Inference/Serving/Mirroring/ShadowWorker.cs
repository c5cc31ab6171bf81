using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ModelOps.Inference.Serving.Mirroring;

/// <summary>
/// Replays mirrored requests on one background loop, so mirroring costs live traffic at most
/// one core; a failing mirror run is logged and counted, never surfaced to a caller.
/// </summary>
public sealed partial class ShadowWorker(ShadowQueue queue, ShadowServer server, ILogger<ShadowWorker> logger) : BackgroundService
{
    private long _served;
    private long _failed;

    public long Served => Interlocked.Read(ref _served);

    public long Failed => Interlocked.Read(ref _failed);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    server.Serve(work);
                    Interlocked.Increment(ref _served);
                }
#pragma warning disable CA1031 // A mirror must never take the service down; the failure is logged and counted.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref _failed);
                    Log.MirrorFailed(logger, exception, work.Model, work.Version);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: queued mirror copies are dropped (they are never answers).
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Mirror run on {Model} v{Version} failed")]
        public static partial void MirrorFailed(ILogger logger, Exception exception, string model, int version);
    }
}
