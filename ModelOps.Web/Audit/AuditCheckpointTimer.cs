using Microsoft.Extensions.Options;
using ModelOps.Core.Audit.Checkpoints;

namespace ModelOps.Web.Audit;

/// <summary>
/// Checkpoints the audit head at start-up and then every interval. The checkpointer skips a
/// head that has not moved: a second signature over the same (seq, headHash) proves nothing
/// new, and skipping keeps the file proportional to audited activity (an idle server would
/// otherwise add 1,440 lines a day). The cost: a checkpoint's age tells when the log last
/// moved, not that the signer is still alive.
/// </summary>
internal sealed partial class AuditCheckpointTimer(
    IAuditCheckpointer checkpointer,
    IOptions<AuditCheckpointOptions> options,
    TimeProvider time,
    ILogger<AuditCheckpointTimer> logger) : BackgroundService
{
    // Created with the service, so no tick is lost between start-up and the first wait.
    private readonly PeriodicTimer _timer = new(TimeSpan.FromSeconds(options.Value.CheckpointIntervalSeconds), time);

    /// <summary>
    /// The first checkpoint runs before the server takes requests (hosted services start in
    /// order): it anchors whatever the previous run left, and creates the key on first start.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await CheckpointAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckpointAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping; an interrupted append leaves at worst a torn line, which is tolerated.
        }
    }

    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        var outcome = await checkpointer.CheckpointAsync(cancellationToken);
        if (outcome.Checkpoint is { } written)
        {
            Log.Written(logger, written.Seq);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Audit head checkpointed at seq {Seq}")]
        public static partial void Written(ILogger logger, long seq);
    }
}
