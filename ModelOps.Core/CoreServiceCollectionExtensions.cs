using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelOps.Core.Audit;
using ModelOps.Core.Audit.Checkpoints;
using ModelOps.Core.Persistence;
using ModelOps.Core.Persistence.Postgres;
using ModelOps.Core.Serving.Log;

namespace ModelOps.Core;

public static class CoreServiceCollectionExtensions
{
    private static readonly SqliteBusyTimeout BusyTimeout = new();

    /// <summary>The file the main database lives in by default, under the data directory.</summary>
    public const string DatabaseFile = "modelops.db";

    /// <summary>The file the inference log lives in by default, beside the main database.</summary>
    public const string InferenceLogFile = "inference-log.db";

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
                case DatabaseOptions.Sqlite:
                    options.UseSqlite(SqliteConnectionString(database, root))
                        .AddInterceptors(BusyTimeout)
                        .AddInterceptors(provider.GetRequiredService<SqliteWriteTurns>().Interceptors);
                    break;
                case DatabaseOptions.Postgres:
                    options.UseNpgsql(database.ConnectionString);
                    break;
                default:
                    throw NoMigrations(database);
            }

            options.AddInterceptors(provider.GetRequiredService<Notifications.IncidentOutbox>());
        });
        // One context type per provider, each owning its migrations (found by the context's type);
        // every service asks for ModelOpsDbContext and InferenceLogDbContext.
        services.Replace(ServiceDescriptor.Scoped(MainContext));
        services.AddDbContext<InferenceLogDbContext>((provider, options) =>
        {
            var database = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var root = provider.GetRequiredService<IOptions<ModelOpsOptions>>().Value;
            switch (database.Provider)
            {
                case DatabaseOptions.Sqlite:
                    options.UseSqlite(
                        InferenceLogConnectionString(database, root),
                        sqlite => sqlite.MigrationsHistoryTable(InferenceLogDbContext.MigrationsHistoryTable));
                    break;
                case DatabaseOptions.Postgres:
                    options.UseNpgsql(
                        PostgresInferenceLogConnectionString(database),
                        npgsql => npgsql.MigrationsHistoryTable(InferenceLogDbContext.MigrationsHistoryTable));
                    break;
                default:
                    throw NoMigrations(database);
            }
        });
        services.Replace(ServiceDescriptor.Scoped(LogContext));
        services.AddSingleton<Notifications.IncidentOutbox>();
        services.AddSingleton<WritePriority>();
        services.AddSingleton<SqliteWriteTurns>();
        services.AddScoped<Notifications.NotificationDeliveries>();
        services.AddScoped<GameDays.GameDayService>();
        services.AddScoped<GameDays.GameDayFinisher>();
        services.AddSingleton<GameDays.GameDayRunner>();
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
        services.AddScoped<Incidents.IncidentEvidenceCopy>();
        services.AddScoped<Incidents.Series.IncidentSeriesRecorder>();
        services.AddScoped<Incidents.Verification.IncidentVerifier>();
        services.AddScoped<Incidents.Verification.PromotionVerifier>();
        services.AddScoped<Incidents.Verification.PromotionEvidence>();
        services.AddScoped<Incidents.Replay.ReplayService>();
        services.AddScoped<Incidents.Replay.ReplayRunner>();
        services.AddScoped<Rollouts.Shadow.ShadowDiffs>();
        services.AddScoped<Incidents.Samples.IncidentSampleRecorder>();
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

    private static ModelOpsDbContext MainContext(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<DbContextOptions<ModelOpsDbContext>>();
        return provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseOptions.Postgres
            ? new PostgresModelOpsDbContext(options)
            : new ModelOpsDbContext(options);
    }

    private static string SqliteConnectionString(DatabaseOptions database, ModelOpsOptions root) =>
        database.ConnectionString is { Length: > 0 } configured
            ? configured
            : $"Data Source={Path.Combine(root.ResolveDataDirectory(), DatabaseFile)};Pooling=True";

    // A private cache, like the main database's: in shared-cache mode a reader of a table waits on
    // the table lock of a connection writing it (SQLITE_LOCKED, which no busy timeout covers: the
    // driver retries every 150 ms), so a feedback lookup or a cache pre-warm would queue behind the
    // log writer's batch; with a private cache WAL gives readers a snapshot.
    private static string InferenceLogConnectionString(DatabaseOptions database, ModelOpsOptions root) =>
        database.InferenceLogConnectionString is { Length: > 0 } configured
            ? configured
            : $"Data Source={Path.Combine(root.ResolveDataDirectory(), InferenceLogFile)};Pooling=True";

    private static InferenceLogDbContext LogContext(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<DbContextOptions<InferenceLogDbContext>>();
        return provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseOptions.Postgres
            ? new PostgresInferenceLogDbContext(options)
            : new InferenceLogDbContext(options);
    }

    // ConnectionStrings:InferenceLog if set (a database of its own), else the main database's.
    private static string PostgresInferenceLogConnectionString(DatabaseOptions database) =>
        database.InferenceLogConnectionString is { Length: > 0 } log ? log
        : database.ConnectionString is { Length: > 0 } main ? main
        : throw new InvalidOperationException(
            "ModelOps:Database:Provider is 'Postgres' but neither ConnectionStrings:InferenceLog nor ConnectionStrings:ModelOps is set.");

    private static InvalidOperationException NoMigrations(DatabaseOptions database) =>
        new($"ModelOps:Database:Provider '{database.Provider}' has no migrations yet; set it to 'Sqlite'.");
}
