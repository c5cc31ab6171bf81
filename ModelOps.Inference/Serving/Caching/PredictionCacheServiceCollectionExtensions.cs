using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ModelOps.Inference.Serving.Caching;

public static class PredictionCacheServiceCollectionExtensions
{
    /// <summary>The prediction cache, with <see cref="PredictionCacheOptions"/> bound and validated at start.</summary>
    public static IServiceCollection AddPredictionCache(this IServiceCollection services)
    {
        services.AddOptions<PredictionCacheOptions>().BindConfiguration(PredictionCacheOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PredictionCacheOptions>, PredictionCacheOptionsValidator>();
        services.AddSingleton<PredictionCache>();
        return services;
    }
}
