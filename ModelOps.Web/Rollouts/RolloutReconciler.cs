using ModelOps.Core.Rollouts.Engine;

namespace ModelOps.Web.Rollouts;

/// <summary>Runs <see cref="RolloutRecovery"/> once at start, before Kestrel listens and before Quartz starts the jobs.</summary>
public sealed class RolloutReconciler(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RolloutRecovery>().RecoverAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
