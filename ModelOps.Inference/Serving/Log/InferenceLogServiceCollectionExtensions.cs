using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelOps.Core;
using ModelOps.Core.Serving.Log;

namespace ModelOps.Inference.Serving.Log;

public static class InferenceLogServiceCollectionExtensions
{
    /// <summary>The journal's folder under the data directory.</summary>
    public const string JournalDirectory = "inference-journal";

    /// <summary>
    /// The inference log: options from <c>ModelOps:Inference:Log</c>, one
    /// <see cref="InferenceLogWriter"/> serving as <see cref="IInferenceLog"/> and as a hosted
    /// service, the reader, and the retention sweep, all over the log's own database
    /// (<see cref="InferenceLogDbContext"/>). Register after the database initializer: hosted
    /// services start in order and the writer needs the migrated tables.
    /// </summary>
    public static IServiceCollection AddInferenceLog(this IServiceCollection services)
    {
        services.AddOptions<InferenceLogOptions>().BindConfiguration(InferenceLogOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InferenceLogOptions>, InferenceLogOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(static provider => DatabaseOf(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton(static provider => JournalOf(provider));
        services.AddSingleton(static provider => new InferenceLogWriter(
            provider.GetRequiredService<InferenceLogDatabase>(),
            provider.GetRequiredService<IOptions<InferenceLogOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<InferenceLogWriter>>(),
            provider.GetRequiredService<JournalHolder>().Journal));
        services.AddSingleton<IInferenceLog>(static provider => provider.GetRequiredService<InferenceLogWriter>());
        services.AddHostedService(static provider => provider.GetRequiredService<InferenceLogWriter>());
        services.AddSingleton<InferenceLogReader>();
        services.AddSingleton<Core.Incidents.Samples.ILoggedRequests>(static provider => provider.GetRequiredService<InferenceLogReader>());
        services.AddSingleton<KpiHistory>();
        services.AddSingleton<Core.Rollouts.Engine.IKpiHistory>(provider => provider.GetRequiredService<KpiHistory>());
        services.AddSingleton<InferenceLogRetention>();
        services.AddHostedService(static provider => provider.GetRequiredService<InferenceLogRetention>());
        return services;
    }

    private static JournalHolder JournalOf(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<InferenceLogOptions>>().Value;
        if (!options.Journal)
        {
            return new JournalHolder(null);
        }

        var directory = Path.Combine(provider.GetRequiredService<IOptions<ModelOpsOptions>>().Value.ResolveDataDirectory(), JournalDirectory);
        return new JournalHolder(InferenceLogJournal.Open(directory, options.JournalSegmentBytes, periodicSync: options.JournalFsyncIntervalMs > 0));
    }

    /// <summary>
    /// The log's database over the same provider and connection string <see cref="InferenceLogDbContext"/>
    /// was configured with (its own database), read once: the one place the provider is chosen.
    /// </summary>
    private static InferenceLogDatabase DatabaseOf(IServiceScopeFactory scopes)
    {
        using var scope = scopes.CreateScope();
        var database = scope.ServiceProvider.GetRequiredService<InferenceLogDbContext>().Database;
        var connectionString = database.GetConnectionString()
            ?? throw new InvalidOperationException("InferenceLogDbContext has no connection string; configure ModelOps:Database.");
        return database.IsSqlite() ? new SqliteInferenceLogDatabase(connectionString)
            : database.IsNpgsql() ? new PostgresInferenceLogDatabase(connectionString)
            : throw new InvalidOperationException($"The inference log has no writer for {database.ProviderName}; set ModelOps:Database:Provider to 'Sqlite' or 'Postgres'.");
    }
}
