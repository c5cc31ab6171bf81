using Microsoft.Extensions.DependencyInjection;

namespace ModelOps.Core.Registry;

public static class RegistryServiceCollectionExtensions
{
    /// <summary>Registry services; the host binds <see cref="RegistryOptions"/>.</summary>
    public static IServiceCollection AddModelOpsRegistry(this IServiceCollection services)
    {
        services.AddSingleton<ArtifactStore>();
        services.AddScoped<RegistryCatalog>();
        services.AddScoped<ModelRegistry>();
        return services;
    }
}
