using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

using ModelOps.Core.Serving.Caching;

using ModelOps.Inference.Serving.Sessions;

namespace ModelOps.Inference.Serving.Caching;

public static class PredictionCacheServiceCollectionExtensions
{
    /// <summary>The prediction cache, with <see cref="PredictionCacheOptions"/> bound and validated at start.</summary>
    public static IServiceCollection AddPredictionCache(this IServiceCollection services)
    {
        services.AddOptions<PredictionCacheOptions>().BindConfiguration(PredictionCacheOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PredictionCacheOptions>, PredictionCacheOptionsValidator>();
        services.AddSingleton<PredictionCache>();
        services.AddSingleton<IRetiredVersionSink>(provider => provider.GetRequiredService<PredictionCache>());
        services.AddSingleton<CachedRunner>();
        services.AddSingleton<CachePrewarmer>();
        services.AddSingleton<ICachePrewarmer>(provider => provider.GetRequiredService<CachePrewarmer>());
        return services;
    }
}
