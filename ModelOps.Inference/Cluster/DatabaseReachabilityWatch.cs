using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelOps.Core.Cluster;
using ModelOps.Core.Persistence;
using ModelOps.Core.Rollouts;

namespace ModelOps.Inference.Cluster;

/// <summary>
/// This replica's watch on the database (PostgreSQL only): every <see cref="ProbeInterval"/> it
/// reads the active rollouts (model, candidate, rollback target), which is both the probe and
/// the memory the degraded mode needs once the database is gone. A probe that fails or takes
/// longer than <see cref="ProbeTimeout"/> counts as no contact; the outage is measured from the
/// last probe that got through (<see cref="DatabaseContact"/>), so a hanging connection counts as
/// much as a refused one. What to serve is <see cref="DegradedRoutingSwitch"/>'s part.
/// </summary>
public sealed partial class DatabaseReachabilityWatch(
    IServiceScopeFactory scopes,
    IOptions<ClusterOptions> cluster,
    DegradedRoutingSwitch routing,
    TimeProvider time,
    ILogger<DatabaseReachabilityWatch> logger) : BackgroundService
{
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);

    /// <summary>Under the smallest outage threshold (1 s) plus one interval, so a hanging probe never delays the switch by much.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var threshold = TimeSpan.FromSeconds(cluster.Value.DatabaseOutageSeconds);
        routing.Start(time.GetUtcNow());
        using var timer = new PeriodicTimer(ProbeInterval, time);
        Task<IReadOnlyList<ActiveRolloutRoute>>? hanging = null;
        do
        {
            try
            {
                // A probe still hanging from before (a link that drops packets: the driver may not
                // give up for tens of seconds, whatever the token says) counts as no contact, and
                // no second one is stacked on it.
                if (hanging is { IsCompleted: false })
                {
                    throw new TimeoutException("the previous database probe has not returned");
                }

                var probe = ProbeAsync(stoppingToken);
                hanging = probe;
                var rollouts = await probe.WaitAsync(ProbeTimeout, time, stoppingToken);
                await routing.ReachedAsync(rollouts, time.GetUtcNow(), stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is DbException or DbUpdateException or IOException or TimeoutException or InvalidOperationException or OperationCanceledException)
            {
                Log.NoContact(logger, e.Message);
                routing.Unreached(time.GetUtcNow(), threshold);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private Task<IReadOnlyList<ActiveRolloutRoute>> ProbeAsync(CancellationToken stoppingToken) =>
        DetachedRead.RunAsync<IReadOnlyList<ActiveRolloutRoute>>(scopes, ProbeTimeout, async (services, ct) =>
        {
            var active = RolloutStates.Active.ToList();
            return await services.GetRequiredService<ModelOpsDbContext>().Set<Rollout>().AsNoTracking()
                .Where(r => active.Contains(r.State))
                .Select(r => new ActiveRolloutRoute(r.Id, r.Model, r.CandidateVersion, r.BaselineVersion))
                .ToListAsync(ct);
        }, stoppingToken);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Database probe failed: {Problem}")]
        public static partial void NoContact(ILogger logger, string problem);
    }
}
