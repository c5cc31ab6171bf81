using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelOps.Core.Audit;
using ModelOps.Core.Audit.Checkpoints;
using ModelOps.Core.Persistence;

namespace ModelOps.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>Persistence, audit and domain services. Options are bound by the host.</summary>
    public static IServiceCollection AddModelOpsCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddDbContext<ModelOpsDbContext>((provider, options) =>
        {
            var database = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var root = provider.GetRequiredService<IOptions<ModelOpsOptions>>().Value;
            switch (database.Provider)
            {
                case "Sqlite":
                    options.UseSqlite(SqliteConnectionString(database, root));
                    break;
                default:
                    throw new InvalidOperationException(
                        $"ModelOps:Database:Provider '{database.Provider}' has no migrations yet; set it to 'Sqlite'.");
            }
        });
        services.AddSingleton<AuditWriteGate>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<AuditLog>();
        services.AddScoped<Rollouts.Preflight.RolloutPreflight>();
        services.AddScoped<Rollouts.Engine.RolloutService>();
        services.AddScoped<Rollouts.Engine.RolloutRollbacks>();
        services.AddScoped<Rollouts.Engine.RolloutApprovals>();
        services.AddScoped<Rollouts.Engine.RollbackAftercare>();
        services.AddScoped<Incidents.IncidentRecorder>();
        services.AddScoped<Incidents.IncidentService>();
        services.AddScoped<Registry.DatasetFlags>();
        services.AddScoped<Rollouts.Engine.RolloutRecovery>();
        services.AddSingleton<Rollouts.Engine.KpiTrendWatch>();
        services.AddSingleton<Rollouts.Engine.RolloutEvaluator>();
        services.AddSingleton(sp => CheckpointSigner.LoadOrCreate(
            sp.GetRequiredService<IOptions<AuditCheckpointOptions>>().Value.ResolveSigningKeyFile(sp.GetRequiredService<IOptions<ModelOpsOptions>>().Value)));
        services.AddSingleton(sp => new CheckpointFile(
            sp.GetRequiredService<IOptions<AuditCheckpointOptions>>().Value.ResolveCheckpointFile(sp.GetRequiredService<IOptions<ModelOpsOptions>>().Value)));
        services.AddSingleton<IAuditCheckpointer, AuditCheckpointer>();
        services.AddScoped<AuditIntegrity>();
        services.AddScoped<Rollouts.Stability.ChronicFailures>();
        services.AddScoped<Rollouts.Monitoring.RolloutMetricsQuery>();
        return services;
    }

    private static string SqliteConnectionString(DatabaseOptions database, ModelOpsOptions root) =>
        database.ConnectionString is { Length: > 0 } configured
            ? configured
            : $"Data Source={Path.Combine(root.ResolveDataDirectory(), "modelops.db")};Cache=Shared;Pooling=True";
}
