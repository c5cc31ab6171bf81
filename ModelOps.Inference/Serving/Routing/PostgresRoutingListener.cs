using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelOps.Core.Cluster;
using ModelOps.Core.Persistence;
using ModelOps.Core.Serving.Routing;
using Npgsql;

namespace ModelOps.Inference.Serving.Routing;

/// <summary>
/// Keeps this replica's routing in step with the others: LISTENs on
/// <see cref="PostgresRoutingAnnouncer.Channel"/> and follows each announced generation it has not
/// got yet (<see cref="RoutingFollower"/>); every <c>ModelOps:Cluster:RoutingReconcileSeconds</c>,
/// and after every (re)connection, it compares all generations with the database's, so a
/// notification lost while the connection was down (NOTIFY is not queued for absent listeners)
/// costs at most one reconciliation interval. Started after start-up restored the tables.
/// </summary>
public sealed partial class PostgresRoutingListener(
    IOptions<DatabaseOptions> database,
    IOptions<ClusterOptions> cluster,
    RoutingFollower follower,
    RoutingTableHolder holder,
    TimeProvider time,
    ILogger<PostgresRoutingListener> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbException or IOException or TimeoutException or InvalidOperationException)
            {
                // The database is unreachable or the connection broke: serving keeps the tables it has.
                Log.Lost(logger, RetryDelay.TotalSeconds, e);
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var pending = new ConcurrentQueue<RoutingAnnouncement>();
        var connectionString = new NpgsqlConnectionStringBuilder(database.Value.ConnectionString) { KeepAlive = 10 }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        connection.Notification += (_, e) =>
        {
            if (RoutingAnnouncement.Parse(e.Payload) is { } announcement)
            {
                pending.Enqueue(announcement);
            }
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresRoutingAnnouncer.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }

        var interval = TimeSpan.FromSeconds(cluster.Value.RoutingReconcileSeconds);
        await ReconcileAsync(cancellationToken);
        var reconciled = time.GetTimestamp();
        while (true)
        {
            var wait = interval - time.GetElapsedTime(reconciled);
            if (wait > TimeSpan.Zero)
            {
                await connection.WaitAsync(wait, cancellationToken);
            }

            while (pending.TryDequeue(out var announcement))
            {
                if (holder.Current(announcement.Model)?.Generation >= announcement.Generation)
                {
                    continue; // ours, or already followed
                }

                await follower.CatchUpAsync(announcement.Model, cancellationToken);
            }

            if (time.GetElapsedTime(reconciled) >= interval)
            {
                await ReconcileAsync(cancellationToken);
                reconciled = time.GetTimestamp();
            }
        }
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var adopted = await follower.CatchUpAsync(null, cancellationToken);
        if (adopted > 0)
        {
            Log.CaughtUp(logger, adopted);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Routing notifications interrupted; reconnecting in {Seconds} s (serving keeps its current tables)")]
        public static partial void Lost(ILogger logger, double seconds, Exception exception);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Routing reconciliation adopted {Count} table(s) no notification had announced")]
        public static partial void CaughtUp(ILogger logger, int count);
    }
}
