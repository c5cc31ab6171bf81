using ModelOps.Core.Audit.Checkpoints;

namespace ModelOps.Web.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// Signed checkpoints of the audit head. Register after <c>AddModelOpsHosting</c>: hosted
    /// services start in order, so the first checkpoint runs after migrations.
    /// </summary>
    public static IServiceCollection AddAuditCheckpoints(this IServiceCollection services)
    {
        services.AddOptions<AuditCheckpointOptions>().BindConfiguration(AuditCheckpointOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<AuditCheckpointTimer>();
        return services;
    }
}
