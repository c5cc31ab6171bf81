using ModelOps.Core.GameDays;

namespace ModelOps.Web.GameDays;

public static class GameDaysServiceCollectionExtensions
{
    /// <summary>Game days: options and the worker that runs drills. Register after <c>AddModelOpsJobs()</c>, so recovery runs after the rollouts'.</summary>
    public static IServiceCollection AddModelOpsGameDays(this IServiceCollection services)
    {
        services.AddOptions<GameDayOptions>().BindConfiguration(GameDayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<GameDayWorker>();
        services.AddScoped<GameDayLauncher>();
        services.AddHostedService(provider => provider.GetRequiredService<GameDayWorker>());
        return services;
    }
}
