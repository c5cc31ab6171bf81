using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ModelOps.Inference.Serving.Sessions;

/// <summary>Periodically health-checks every warm session and retires those past their grace period.</summary>
public sealed class SessionMonitor(SessionPool pool, IOptions<SessionPoolOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HealthCheckSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                pool.CheckHealth();
                pool.RetireExpired();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
