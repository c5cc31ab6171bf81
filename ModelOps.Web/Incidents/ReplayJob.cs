using ModelOps.Core.Incidents.Replay;
using Quartz;

namespace ModelOps.Web.Incidents;

/// <summary>
/// Every <c>ModelOps:Incidents:Replay:PollSeconds</c>: runs the oldest queued replay (or one a
/// restart interrupted) to its end, then the next, until none is pending. One at a time, so a
/// replay never takes more than its one ONNX thread from serving. On shutdown the token stops it
/// between batches and it stays <c>running</c>, to start again at the next start.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class ReplayJob(IServiceScopeFactory scopes, ILogger<ReplayJob> logger) : IJob
{
    public static readonly JobKey Key = new("replay", "incidents");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var ran = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            if (!await scope.ServiceProvider.GetRequiredService<ReplayRunner>().RunNextAsync(cancellationToken))
            {
                break;
            }

            ran++;
        }

        if (ran > 0)
        {
            Log.Ran(logger, ran);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Replay job ended {Count} replays")]
        public static partial void Ran(ILogger logger, int count);
    }
}
