using ModelOps.Core.Audit;

namespace ModelOps.Web.Rollouts.Dashboard;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>The console's live dashboard: one shared feed (a hosted loop), its per-tick reader, and the console's rollout commands.</summary>
    public static IServiceCollection AddModelOpsDashboard(this IServiceCollection services)
    {
        services.AddSingleton<DashboardFeed>();
        services.AddHostedService(provider => provider.GetRequiredService<DashboardFeed>());
        services.AddSingleton<IAuditCommitListener>(provider => provider.GetRequiredService<DashboardFeed>());
        services.AddScoped<DashboardReader>();
        services.AddSingleton<RolloutConsoleCommands>();
        return services;
    }
}
