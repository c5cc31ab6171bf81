using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using ModelOps.Core.Demo;
using ModelOps.Core.Registry;
using ModelOps.Inference.Registry;
using ModelOps.Web.Metrics;
using ModelOps.Web.Registry;
using ModelOps.Web.Serving;
using ModelOps.Web.Simulator;

namespace ModelOps.Web.Hosting;

public static class WebServiceCollectionExtensions
{
    /// <summary>
    /// What the web host adds around Core and the inference plane: upload validation in a child
    /// process (unless <see cref="RegistryOptions.IsolateValidation"/> is off), request size limits
    /// from <see cref="RegistryOptions"/>, the demo traffic simulator, the Prometheus exposition,
    /// and the start-up tasks (demo seeding, then serving). Register after <c>AddModelOpsInference()</c>.
    /// </summary>
    public static IServiceCollection AddModelOpsWeb(this IServiceCollection services)
    {
        services.AddSingleton<IArtifactInspector>(provider => provider.GetRequiredService<IOptions<RegistryOptions>>().Value.IsolateValidation
            ? ActivatorUtilities.CreateInstance<IsolatedArtifactInspector>(provider)
            : ActivatorUtilities.CreateInstance<OnnxArtifactInspector>(provider));

        // An upload may be as large as the registry allows, plus room for the multipart framing.
        services.AddOptions<FormOptions>().Configure<IOptions<RegistryOptions>>((form, registry) =>
            form.MultipartBodyLengthLimit = registry.Value.MaxArtifactBytes + (1 << 20));
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RegistryOptions>>((kestrel, registry) =>
            kestrel.Limits.MaxRequestBodySize = registry.Value.MaxArtifactBytes + (1 << 20));

        services.AddTrafficSimulator();
        services.AddSingleton<ServingExposition>();
        services.AddSingleton<DegradedRoutingExposition>();
        services.AddSingleton<DemoModelFamily>();
        services.AddSingleton<IStartupTask, DemoRegistrySeeder>();
        services.AddSingleton<IStartupTask, ServingStartupTask>();
        return services;
    }
}
