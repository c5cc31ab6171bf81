using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelOps.Core.Cluster;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts.Engine;
using ModelOps.Core.Serving.Routing;
using ModelOps.Inference.Cluster;
using ModelOps.Inference.Serving.Routing;
using Quartz;

namespace ModelOps.Web.Cluster;

public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// Several replicas on one PostgreSQL database (<c>ModelOps:Database:Provider=Postgres</c>):
    /// Quartz clustered on its ADO.NET store (<see cref="ClusteredScheduler"/>), routing changes
    /// announced with NOTIFY and followed by every replica (<see cref="PostgresRoutingListener"/>),
    /// and the degraded mode for a database out of reach (<see cref="DatabaseReachabilityWatch"/>).
    /// On SQLite nothing changes: Quartz keeps its in-memory store and routing has no one to tell.
    /// </summary>
    public static IServiceCollection AddModelOpsCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var database = (configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions())
            .Resolve(configuration.GetConnectionString("ModelOps"), configuration.GetConnectionString("InferenceLog"));
        var cluster = configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
        var connectionString = database.ConnectionString;
        var clustered = database.Provider == DatabaseOptions.Postgres && !string.IsNullOrWhiteSpace(connectionString);
        var replica = new ReplicaIdentity(cluster.ResolveInstanceId(), clustered);
        services.AddSingleton(replica);
        services.AddSingleton<ReplicaJudging>();
        if (!clustered)
        {
            return services;
        }

        services.AddQuartz(quartz => ClusteredScheduler.Configure(quartz, replica, connectionString!, cluster)); // clustered implies a connection string
        services.AddSingleton<IRoutingAnnouncer, PostgresRoutingAnnouncer>();
        services.AddHostedService<PostgresRoutingListener>();
        // The degraded mode: past ModelOps:Cluster:DatabaseOutageSeconds without the database, serve rollback targets locally.
        services.AddSingleton<DegradedRoutingAudit>();
        services.AddSingleton<DegradedRoutingSwitch>();
        services.AddHostedService<DatabaseReachabilityWatch>();
        // The judge reads every replica's published buckets (replaces the in-process store's view).
        services.AddSingleton<ReplicaMetricsPublisher>();
        services.AddHostedService(provider => provider.GetRequiredService<ReplicaMetricsPublisher>());
        services.AddSingleton<ClusterMeasurements>();
        services.Replace(ServiceDescriptor.Singleton<IRolloutMeasurements>(provider => provider.GetRequiredService<ClusterMeasurements>()));
        return services;
    }
}
