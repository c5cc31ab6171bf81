using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelOps.Core.Registry;
using ModelOps.Core.Serving;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Serving.Feedback;
using ModelOps.Inference.Serving.Log;
using ModelOps.Inference.Serving.Mirroring;
using ModelOps.Inference.Serving.Requests;
using ModelOps.Inference.Serving.Routing;
using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Inference.Serving;

public static class ServingServiceCollectionExtensions
{
    /// <summary>The serving path: warm pool, routing, the model server, mirroring and their background loops.</summary>
    public static IServiceCollection AddServing(this IServiceCollection services)
    {
        services.AddOptions<ServingOptions>().BindConfiguration(ServingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SessionPoolOptions>().BindConfiguration(SessionPoolOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new Random());
        services.AddSingleton<ServableVersionLoader>();
        services.AddSingleton<SessionPool>();
        services.AddSingleton<IVersionWarmup, VersionWarmup>();
        services.AddSingleton<RoutingTableHolder>();
        services.AddSingleton<LocalRoutingOverride>();
        services.TryAddSingleton<IRoutingAnnouncer, SingleProcessRoutingAnnouncer>();
        services.AddSingleton<RoutingFollower>();
        services.AddSingleton<TrafficRouter>();
        services.AddSingleton<ITrafficRouter>(sp => sp.GetRequiredService<TrafficRouter>());
        services.AddSingleton<IAliasFollower, ServingAliasFollower>();
        services.AddSingleton(sp => new RecentRequests(sp.GetRequiredService<IOptions<ServingOptions>>().Value.RecentRequests, sp.GetRequiredService<Random>()));
        services.AddSingleton<RequestLookup>();
        services.AddSingleton<RequestRouter>();
        services.AddSingleton<RequestRecorder>();
        services.AddSingleton<RequestExecutor>();
        services.AddSingleton<FeedbackRecorder>();
        services.AddSingleton(sp => new ShadowQueue(sp.GetRequiredService<IOptions<ServingOptions>>().Value.ShadowQueueCapacity));
        services.AddSingleton<ShadowServer>();
        services.AddSingleton<ModelServer>();
        services.AddSingleton<ShadowWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ShadowWorker>());
        services.AddHostedService<SessionMonitor>();
        return services;
    }
}
