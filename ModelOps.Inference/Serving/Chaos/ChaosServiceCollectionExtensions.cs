using Microsoft.Extensions.DependencyInjection;

using ModelOps.Core.Serving.Chaos;

namespace ModelOps.Inference.Serving.Chaos;

public static class ChaosServiceCollectionExtensions
{
    /// <summary>One board for the process (the serving path reads it); the service is per request like the audit trail it uses.</summary>
    public static IServiceCollection AddChaos(this IServiceCollection services)
    {
        services.AddSingleton<ChaosBoard>();
        services.AddScoped<ChaosService>();
        services.AddScoped<IChaosFaults>(provider => provider.GetRequiredService<ChaosService>());
        services.AddSingleton<FaultInjector>();
        return services;
    }
}
