using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration.Json;
using ModelOps.Core;
using ModelOps.Core.Persistence;
using ModelOps.Core.Registry;
using ModelOps.Core.Rollouts.Stability;

namespace ModelOps.Web.Hosting;

public static class HostingExtensions
{
    /// <summary>
    /// The repository-root appsettings.json is copied beside the binary; it is inserted after
    /// the default JSON files so environment variables and arguments still override it.
    /// </summary>
    public static void AddRootSettings(this ConfigurationManager configuration)
    {
        var source = new JsonConfigurationSource { Path = "appsettings.json", Optional = true, ReloadOnChange = false };
        source.FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(AppContext.BaseDirectory);
        var sources = (IList<IConfigurationSource>)configuration.Sources;
        var lastJson = sources.Select((s, i) => (s, i)).LastOrDefault(p => p.s is JsonConfigurationSource).i;
        sources.Insert(lastJson + 1, source);
    }

    public static IServiceCollection AddModelOpsHosting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ModelOpsOptions>().BindConfiguration(ModelOpsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .Configure(o => o.Resolve(configuration.GetConnectionString("ModelOps"), configuration.GetConnectionString("InferenceLog")))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<RegistryOptions>().BindConfiguration(RegistryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ChronicFailureOptions>().BindConfiguration(ChronicFailureOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var dataDirectory = Path.GetFullPath(configuration["ModelOps:DataDirectory"] ?? "./data");
        services.AddDataProtection()
            .SetApplicationName("ModelOps")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailDefaults.Fill);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddSingleton<StartupState>();
        services.AddHostedService<DatabaseInitializer>();
        return services;
    }
}
