using ModelOps.Inference.Serving.Routing;
using ModelOps.Web.Hosting;

namespace ModelOps.Web.Serving;

/// <summary>Restores the routing tables and warms their versions before the service reports ready.</summary>
public sealed class ServingStartupTask(TrafficRouter router) : IStartupTask
{
    /// <summary>After demo seeding (10): the champion alias must exist first.</summary>
    public int Order => 20;

    public async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        await router.RestoreAsync(cancellationToken);
}
