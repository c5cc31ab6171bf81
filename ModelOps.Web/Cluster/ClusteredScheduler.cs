using ModelOps.Core.Cluster;
using Quartz;

namespace ModelOps.Web.Cluster;

/// <summary>
/// Quartz on PostgreSQL, clustered: every replica runs a scheduler named <see cref="Name"/> with its
/// own instance id over one ADO.NET job store, so each trigger fires on one replica, a
/// <see cref="DisallowConcurrentExecutionAttribute"/> job (a rollout's evaluation) runs on one replica
/// at a time, and the jobs of a replica that stopped checking in are recovered by another after
/// the check-in interval plus the same again. Quartz creates its own tables when missing
/// (<c>ProvisionSchema</c>: guarded statements, so replicas starting together do not race).
/// </summary>
public static class ClusteredScheduler
{
    public const string Name = "ModelOps";

    public static void Configure(IQuartzBuilder quartz, ReplicaIdentity replica, string connectionString, ClusterOptions cluster)
    {
        ArgumentNullException.ThrowIfNull(quartz);
        ArgumentNullException.ThrowIfNull(replica);
        ArgumentNullException.ThrowIfNull(cluster);
        var checkin = TimeSpan.FromSeconds(cluster.CheckinIntervalSeconds);
        quartz.ConfigureScheduler(scheduler =>
        {
            scheduler.InstanceName = Name;
            scheduler.InstanceId = replica.InstanceId;
            // A trigger freed by another replica's death (or scheduled by another replica) is seen within this.
            scheduler.IdleWaitTime = checkin;
        });
        quartz.UsePersistentStore(store =>
        {
            store.UsePostgres(connectionString);
            store.UseSystemTextJsonSerializer();
            store.ProvisionSchema();
            // Job data are ids (strings): stored readable, no type names in the database.
            store.ConfigureStore(options => options.StoreJobDataAsStrings = true);
            store.UseClustering(clustering =>
            {
                clustering.CheckinInterval = checkin;
                clustering.CheckinMisfireThreshold = checkin;
            });
        });
    }
}
