using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelOps.Core.Serving.Metrics;

namespace ModelOps.Inference.Serving.Metrics;

public static class ServingMetricsServiceCollectionExtensions
{
    /// <summary>
    /// One store for the process, reachable as itself (recording, <c>/metrics</c>) and as
    /// <see cref="IServingMetrics"/> (guardrails). Its <see cref="Random"/> (reservoir sampling
    /// only) is created here rather than registered, so no other service shares it by accident;
    /// tests build the store with a seeded one.
    /// </summary>
    public static IServiceCollection AddServingMetrics(this IServiceCollection services)
    {
        services.AddOptions<ServingMetricsOptions>().BindConfiguration(ServingMetricsOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServingMetricsOptions>, ServingMetricsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new ServingMetricsStore(
            provider.GetRequiredService<IOptions<ServingMetricsOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            new Random()));
        services.AddSingleton<IServingMetrics>(provider => provider.GetRequiredService<ServingMetricsStore>());
        services.AddSingleton<StoreMeasurements>();
        services.AddSingleton<Core.Rollouts.Engine.IRolloutMeasurements>(provider => provider.GetRequiredService<StoreMeasurements>());
        return services;
    }
}
