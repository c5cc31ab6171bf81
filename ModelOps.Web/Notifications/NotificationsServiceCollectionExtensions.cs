using ModelOps.Core.Notifications;
using Quartz;

namespace ModelOps.Web.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>
    /// Incident webhooks: the options (validated at start), the dispatcher's HTTP client (no
    /// redirects; the per-attempt time-out is the dispatcher's) and its Quartz job. The outbox rows
    /// themselves are written by <see cref="IncidentOutbox"/>, hooked into the database context by Core.
    /// </summary>
    public static IServiceCollection AddModelOpsNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var settings = configuration.GetSection(NotificationOptions.Section).Get<NotificationOptions>() ?? new NotificationOptions();
        services.AddHttpClient<NotificationDispatcher>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        services.AddQuartz(quartz =>
        {
            quartz.AddJob<DispatchNotificationsJob>(job => job.WithIdentity(DispatchNotificationsJob.Key));
            quartz.AddTrigger(trigger => trigger
                .ForJob(DispatchNotificationsJob.Key)
                .WithIdentity($"{DispatchNotificationsJob.Key.Name}-every", DispatchNotificationsJob.Key.Group)
                .StartNow()
                .WithSimpleSchedule(schedule => schedule
                    .WithInterval(TimeSpan.FromMilliseconds(settings.DispatchIntervalMs))
                    .RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        return services;
    }
}
