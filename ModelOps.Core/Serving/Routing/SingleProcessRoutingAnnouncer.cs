namespace ModelOps.Core.Serving.Routing;

/// <summary>The embedded mode's announcer: one process, so a change live here is live everywhere.</summary>
public sealed class SingleProcessRoutingAnnouncer : IRoutingAnnouncer
{
    public Task AnnounceAsync(string model, long generation, CancellationToken cancellationToken) => Task.CompletedTask;
}
