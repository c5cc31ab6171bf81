using ModelOps.Core.Notifications;
using Quartz;

namespace ModelOps.Web.Notifications;

/// <summary>Every <c>ModelOps:Notifications:DispatchIntervalMs</c>: sends the outbox rows that are due.</summary>
[DisallowConcurrentExecution]
public sealed class DispatchNotificationsJob(NotificationDispatcher dispatcher) : IJob
{
    public static readonly JobKey Key = new("dispatch", "notifications");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await dispatcher.DispatchDueAsync(cancellationToken);
}
