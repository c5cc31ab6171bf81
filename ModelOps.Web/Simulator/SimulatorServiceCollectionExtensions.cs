using Microsoft.Extensions.Options;
using ModelOps.Core;
namespace ModelOps.Web.Simulator;

public static class SimulatorServiceCollectionExtensions
{
    public static IServiceCollection AddTrafficSimulator(this IServiceCollection services)
    {
        services.AddOptions<SimulatorOptions>().BindConfiguration(SimulatorOptions.Section)
            .PostConfigure<IOptions<ModelOpsOptions>>((simulator, root) => simulator.Enabled ??= root.Value.DemoMode)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TrafficSimulator>();
        services.AddHostedService(sp => sp.GetRequiredService<TrafficSimulator>());
        services.AddScoped<SimulatorControl>();
        return services;
    }
}
